using ManifestBuild.Agent.Domains;
using ManifestBuild.Agent.Suggestions;
using ManifestBuild.Format;
using ManifestBuild.Format.Json;
using ManifestBuild.Market.Listings;
using ManifestBuild.Nostr;
using ManifestBuild.TestSupport;

namespace ManifestBuild.Agent.Tests;

public sealed class SuggestionTests
{
    private static readonly NostrKeyPair Seller = NostrKeyPair.Generate();

    internal static JsonObject Manifest(string signature, string family, string[] domains, double accuracy)
    {
        var m = new JsonObject()
            .Add("format", "dsrs.manifest/1")
            .Add("signature_name", signature)
            .Add("family", family)
            .Add("instruction", "Decide.")
            .Add("inputs", new JsonArray().Add(new JsonObject().Add("name", "task").Add("type", "string")))
            .Add("outputs", new JsonArray().Add(new JsonObject().Add("name", "label").Add("type", "enum").Add("values", JsonArray.OfStrings(["Low", "High"]))))
            .Add("scorecard", new JsonObject().Add("median_score", accuracy).Add("rollouts", 8).Add("accuracy", accuracy))
            .Add("domain_tags", JsonArray.OfStrings(domains))
            .Add("example_count", 100L);
        m.Add("compiled_id", CompiledId.Compute(m));
        return m;
    }

    private static Listing Listing(string signature, string family, string[] domains, double accuracy, long price = 0) =>
        ListingParser.Parse(ManifestBuild.Nostr.NostrEventVerifier.EnsureVerified(ListingBuilder.BuildSigned(Manifest(signature, family, domains, accuracy),
            price == 0 ? new ListingOptions() : new ListingOptions { PriceMsat = price, L402Url = new Uri("https://seller.test/"), NodeIdHex = "02" + new string('a', 64) }, Seller)));

    private static DomainReport Report(params string[] tags) => new([.. tags.Select(t => new DetectedDomain(t, 10, ["test"]))], 10, null);

    [Fact]
    public void One_item_per_family_from_the_listing_that_covers_most_detected_domains()
    {
        var items = ManifestSuggester.Suggest(Report("medical-imaging", "scientific", "python"),
        [
            Listing("ComplexityClassificationSignature", "complexity", ["python"], 0.95),
            Listing("ComplexityClassificationSignature", "complexity", ["scientific", "python"], 0.93, price: 100_000),
            Listing("DelegationSignature", "delegation", ["python"], 0.8),
            Listing("RustOnlySignature", "planning", ["rust"], 0.99),
        ]);
        Assert.Equal(["complexity", "delegation"], items.Select(i => i.Family));
        var complexity = items[0];
        Assert.Equal("ComplexityClassification", complexity.Name);
        Assert.Equal(["scientific", "python"], complexity.Domains);
        Assert.Equal(150_000, complexity.MaxPriceMsat);
        Assert.Equal(0.88, complexity.MinAccuracy);
        Assert.Equal("""<DsrsManifest Include="ComplexityClassification" Family="complexity" Domains="scientific;python" MinAccuracy="0.88" MaxPriceMsat="150000" />""", complexity.ToXml());
        Assert.Equal(0, items[1].MaxPriceMsat); // free: free only
    }

    [Fact]
    public void A_family_or_domain_that_could_break_the_project_file_is_never_suggested()
    {
        var hostile = ListingParser.Parse(ManifestBuild.Nostr.NostrEventVerifier.EnsureVerified(ListingBuilder.BuildSigned(Manifest("X", "complexity\" Evil=\"1", ["python"], 0.9), new ListingOptions(), Seller)));
        Assert.Empty(ManifestSuggester.Suggest(Report("python"), [hostile]));
    }

    [Fact]
    public void Items_go_into_the_project_in_its_own_style_once()
    {
        using var dir = new TempDirectory("suggest-project");
        var original = "<Project Sdk=\"Microsoft.NET.Sdk\">\r\n\t<PropertyGroup>\r\n\t\t<OutputType>Exe</OutputType>\r\n\t</PropertyGroup>\r\n\t<ItemGroup>\r\n\t\t<DsrsManifest Include=\"Delegation\" Family=\"delegation\" />\r\n\t</ItemGroup>\r\n</Project>\r\n";
        var path = dir.Write("Agent.csproj", original);
        var items = ManifestSuggester.Suggest(Report("python"), [Listing("ComplexityClassificationSignature", "complexity", ["python"], 0.9), Listing("DelegationSignature", "delegation", ["python"], 0.9)]);

        var added = ProjectFileEditor.AddItems(path, items);
        Assert.Equal(["ComplexityClassification"], added.Select(a => a.Name)); // Delegation is declared already
        var text = File.ReadAllText(path);
        Assert.StartsWith(original[..original.IndexOf("</Project>", StringComparison.Ordinal)], text, StringComparison.Ordinal);
        Assert.Contains("\t<ItemGroup>\r\n\t\t<DsrsManifest Include=\"ComplexityClassification\"", text, StringComparison.Ordinal);
        Assert.EndsWith("\t</ItemGroup>\r\n</Project>\r\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\n", text.Replace("\r\n", "", StringComparison.Ordinal), StringComparison.Ordinal);

        Assert.Empty(ProjectFileEditor.AddItems(path, items));
        Assert.Equal(text, File.ReadAllText(path));
    }

    [Fact]
    public void A_file_that_is_not_a_project_is_refused()
    {
        using var dir = new TempDirectory("suggest-bad");
        var path = dir.Write("x.csproj", "<Project><oops></Project>");
        Assert.Equal(AgentErrorCodes.ProjectUnreadable, Assert.Throws<DsrsException>(() => ProjectFileEditor.AddItems(path, [new SuggestedItem("A", "f", [], 0, null, "")])).Code);
    }
}
