using ManifestBuild.Format;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace ManifestBuild.Tasks;

/// <summary>Reads obj/dsrs/handover.tsv into AdditionalFiles-ready items. No network, no wallet: runs every build.</summary>
public sealed class ReadDsrsHandOver : Microsoft.Build.Utilities.Task
{
    [Required]
    public string HandOverFile { get; set; } = string.Empty;

    [Output]
    public ITaskItem[] ResolvedManifests { get; private set; } = [];

    public override bool Execute()
    {
        try
        {
            ResolvedManifests = HandOver.Read(HandOverFile).Select(ToItem).ToArray();
            return true;
        }
        catch (DsrsException e)
        {
            Log.LogError(null, e.Code, null, HandOverFile, 0, 0, 0, 0, e.Message);
            return false;
        }
    }

    internal static ITaskItem ToItem(HandOverEntry entry)
    {
        var item = new TaskItem(entry.FilePath);
        item.SetMetadata("DsrsManifestName", entry.Name);
        item.SetMetadata("DsrsCompiledId", entry.CompiledId);
        return item;
    }
}
