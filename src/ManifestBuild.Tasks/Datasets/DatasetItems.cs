using ManifestBuild.Format;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace ManifestBuild.Tasks.Datasets;

/// <summary>
/// The MSBuild side of DsrsDataset: reading the items, the hand-over file obj/dsrs/datasets.tsv
/// ("name TAB dataset_id TAB full path", LF; read back every build, like the manifests' handover.tsv)
/// and the items the targets turn into AdditionalFiles and EmbeddedResource.
/// </summary>
internal static class DatasetItems
{
    public static List<DeclaredDataset> Read(ITaskItem[] items, string projectFile, string projectDirectory, Action<ItemLocation, string, string> error)
    {
        var declared = new List<DeclaredDataset>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var item in items)
        {
            var name = item.ItemSpec.Trim();
            var definedIn = item.GetMetadata("DefiningProjectFullPath");
            var location = ItemLocation.Find(string.IsNullOrEmpty(definedIn) ? projectFile : definedIn, name, "DsrsDataset");
            try
            {
                if (!seen.Add(name))
                {
                    throw new DsrsException(BuildErrorCodes.DuplicateItem, $"DsrsDataset '{name}' is declared twice (names are compared case-insensitively)");
                }

                declared.Add(DeclaredDataset.Parse(name, item.GetMetadata, projectDirectory, location));
            }
            catch (DsrsException e)
            {
                error(location, e.Code, e.Message);
            }
        }

        return declared;
    }

    public static string Serialize(IEnumerable<DatasetHandOverEntry> entries) =>
        string.Concat(entries.Select(e => $"{e.Name}\t{e.DatasetId}\t{e.FilePath}\n"));

    public static IReadOnlyList<DatasetHandOverEntry> ReadHandOver(string path)
    {
        if (!File.Exists(path))
        {
            throw new DsrsException(BuildErrorCodes.DatasetHandOverCorrupt, $"the dataset hand-over file '{path}' is missing: the resolution step did not complete; build again");
        }

        var entries = new List<DatasetHandOverEntry>();
        foreach (var line in File.ReadAllLines(path).Where(l => l.Length > 0))
        {
            var parts = line.Split('\t');
            if (parts.Length != 3 || !File.Exists(parts[2]))
            {
                throw new DsrsException(BuildErrorCodes.DatasetHandOverCorrupt, $"the dataset hand-over file '{path}' names a dataset that is missing or malformed ('{parts[0]}'): delete obj/ and build again");
            }

            entries.Add(new DatasetHandOverEntry(parts[0], parts[1], parts[2]));
        }

        return entries;
    }

    public static ITaskItem ToItem(DatasetHandOverEntry entry)
    {
        var item = new TaskItem(entry.FilePath);
        item.SetMetadata("DsrsDatasetName", entry.Name);
        item.SetMetadata("DsrsDatasetId", entry.DatasetId);
        item.SetMetadata("LogicalName", "Dsrs.Datasets." + entry.Name + ".json");
        return item;
    }

    /// <summary>Summary lines at normal importance, a payment as warning DSRS0055 (never silent, never an error), detail low.</summary>
    public sealed class Log(TaskLoggingHelper log, string projectFile) : IDatasetLog
    {
        public void Summary(string line) => log.LogMessage(MessageImportance.High, line);

        public void Payment(ItemLocation where, string line)
        {
            var at = where == ItemLocation.None ? new ItemLocation(projectFile, 0, 0) : where;
            log.LogWarning(null, BuildErrorCodes.ManifestBought, null, at.File, at.Line, at.Column, 0, 0, line);
        }

        public void Detail(string line) => log.LogMessage(MessageImportance.Low, line);
    }
}

/// <summary>Reads obj/dsrs/datasets.tsv into items (no network, no wallet): runs every build.</summary>
public sealed class ReadDsrsDatasetHandOver : Microsoft.Build.Utilities.Task
{
    [Required]
    public string HandOverFile { get; set; } = string.Empty;

    [Output]
    public ITaskItem[] ResolvedDatasets { get; private set; } = [];

    public override bool Execute()
    {
        try
        {
            ResolvedDatasets = DatasetItems.ReadHandOver(HandOverFile).Select(DatasetItems.ToItem).ToArray();
            return true;
        }
        catch (DsrsException e)
        {
            Log.LogError(null, e.Code, null, HandOverFile, 0, 0, 0, 0, e.Message);
            return false;
        }
    }
}
