using ManifestBuild.Format.Locking;

namespace ManifestBuild.Format.Tests;

public class LockFileDatasetTests
{
    private static readonly string Id = new('a', 64);

    private const string WithoutDatasets = """
        {
          "version": 1,
          "manifests": {}
        }

        """;

    [Fact]
    public void A_file_without_datasets_keeps_its_bytes_and_a_dataset_entry_has_its_own_kind()
    {
        var plain = LockFile.Parse(WithoutDatasets.ReplaceLineEndings("\n"));
        Assert.Empty(plain.Datasets);
        Assert.Equal(WithoutDatasets.ReplaceLineEndings("\n"), plain.ToText());

        plain.Datasets["ComplexityExamples"] = new LockEntry { SignatureName = string.Empty, CompiledId = Id, Family = "complexity", Domains = ["rust"], Seller = new string('c', 64), PriceMsat = 4000, PaymentHash = new string('e', 64), ResolvedAt = 1764000000 };
        var text = plain.ToText();
        Assert.Contains("\"datasets\": {", text, StringComparison.Ordinal);
        Assert.Contains("\"dataset_id\": \"" + Id + "\"", text, StringComparison.Ordinal);
        Assert.DoesNotContain("signature_name", text, StringComparison.Ordinal);
        Assert.DoesNotContain("accuracy", text, StringComparison.Ordinal);

        var again = LockFile.Parse(text);
        var entry = again.Datasets["ComplexityExamples"];
        Assert.Equal(Id, entry.CompiledId);
        Assert.Equal(4000, entry.PriceMsat);
        Assert.Equal(["rust"], entry.Domains);
        Assert.Empty(again.Manifests);
        Assert.Equal(text, again.ToText());
    }

    [Theory]
    [InlineData("""{"version":1,"manifests":{},"datasets":[]}""", "datasets must be an object")]
    [InlineData("""{"version":1,"manifests":{},"datasets":{"X":{"family":"c"}}}""", "datasets.X.dataset_id")]
    [InlineData("""{"version":1,"manifests":{},"datasets":{"X":{"dataset_id":"nothex"}}}""", "datasets.X.dataset_id must be 64 lowercase hex")]
    public void A_malformed_datasets_member_is_refused_naming_it(string text, string expected)
    {
        var e = Assert.Throws<DsrsException>(() => LockFile.Parse(text));
        Assert.Equal(FormatErrorCodes.InvalidLockFile, e.Code);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }
}
