using System.Text.Json;

namespace ManifestBuild.Lightning.Tests.Bolt11;

/// <summary>The BOLT #11 example invoices (TestData/bolt11-vectors.json), by title.</summary>
internal static class Bolt11Vectors
{
    public const string SpecPayee = "03e7156ae33b0a208d0744199163177e909e80176e55d97a2f221ede0f934dd9ad";
    public const string SpecPrivateKey = "e126f68f7eafcc8b74f54d269fe206be715000f94dac067d1c04a8ca3b2db734";
    public const string SpecHash = "0001020304050607080900010203040506070809000102030405060708090102";
    public const string SpecSecret = "1111111111111111111111111111111111111111111111111111111111111111";

    private static readonly Lazy<IReadOnlyList<(string Section, string Title, string Invoice)>> All = new(Load);

    public static IReadOnlyList<(string Section, string Title, string Invoice)> Entries => All.Value;

    /// <summary>The invoice whose title starts with the given text (unique).</summary>
    public static string ByTitle(string titleStart) => Entries.Single(e => e.Title.StartsWith(titleStart, StringComparison.Ordinal)).Invoice;

    private static IReadOnlyList<(string, string, string)> Load()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "TestData", "bolt11-vectors.json")));
        return doc.RootElement.EnumerateArray()
            .Select(e => (e.GetProperty("section").GetString()!, e.GetProperty("title").GetString()!, e.GetProperty("inv").GetString()!))
            .ToList();
    }
}
