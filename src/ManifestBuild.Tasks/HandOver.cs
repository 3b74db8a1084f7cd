using ManifestBuild.Format;

namespace ManifestBuild.Tasks;

/// <summary>One manifest handed to the generator: the item name, the verified id and the JSON file in obj/.</summary>
public sealed record HandOverEntry(string Name, string CompiledId, string FilePath);

/// <summary>
/// The result of a successful resolution, kept in obj/dsrs/handover.tsv: it is the Outputs of the
/// incremental target, and the always-running hand-over target reads it back (items created by a
/// task are not restored when MSBuild skips a target, so they cannot simply be task outputs).
/// Format: one line per manifest, "name TAB compiled_id TAB full path", LF.
/// </summary>
public static class HandOver
{
    public static string Serialize(IEnumerable<HandOverEntry> entries) =>
        string.Concat(entries.Select(e => $"{e.Name}\t{e.CompiledId}\t{e.FilePath}\n"));

    public static IReadOnlyList<HandOverEntry> Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new DsrsException(BuildErrorCodes.HandOverCorrupt, $"the hand-over file '{path}' is missing: the resolution step did not complete; build again");
        }

        var entries = new List<HandOverEntry>();
        foreach (var line in File.ReadAllLines(path))
        {
            if (line.Length == 0)
            {
                continue;
            }

            var parts = line.Split('\t');
            if (parts.Length != 3 || !File.Exists(parts[2]))
            {
                throw new DsrsException(BuildErrorCodes.HandOverCorrupt, $"the hand-over file '{path}' names a manifest that is missing or malformed ('{parts[0]}'): delete obj/ and build again");
            }

            entries.Add(new HandOverEntry(parts[0], parts[1], parts[2]));
        }

        return entries;
    }
}
