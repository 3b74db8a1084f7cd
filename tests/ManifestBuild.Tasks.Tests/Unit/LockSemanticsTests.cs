using ManifestBuild.Format;
using ManifestBuild.Format.Locking;
using ManifestBuild.Tasks.Resolution;
using ManifestBuild.Tasks.Tests.Support;

namespace ManifestBuild.Tasks.Tests.Unit;

/// <summary>A lock entry satisfies a declaration only when the locked manifest meets every constraint of the item.</summary>
public sealed class LockSemanticsTests : IDisposable
{
    private const string Seller = "a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90";
    private const string OtherSeller = "b1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90";
    private readonly ResolverHarness h = new();

    public void Dispose() => h.Dispose();

    [Theory]
    [InlineData("Domains", "docs", "the locked manifest has domains [rust] but the item asks for [docs]")]
    [InlineData("Family", "planning", "the locked manifest has family complexity but the item asks for Family planning")]
    [InlineData("MinAccuracy", "0.95", "the locked manifest has accuracy 0.91 but the item asks for MinAccuracy 0.95")]
    [InlineData("MaxPriceMsat", "10000", "the locked manifest costs 50000 msat but the item's MaxPriceMsat is 10000")]
    [InlineData("Seller", OtherSeller, "the locked manifest is sold by seller a1b2c3d4e5f6 but the item asks for Seller b1b2c3d4e5f6")]
    public async Task ALockedBuildRefusesAChangedConstraintWithDsrs0030NamingIt(string key, string value, string why)
    {
        var (json, id) = TestManifests.Complexity();
        await LockFromContentAsync("Classifier", json, id, 50_000);

        var item = key == "Family" ? h.Declare("Classifier", (key, value)) : h.Declare("Classifier", ("Family", "complexity"), (key, value));
        var outcome = await h.RunAsync(h.Settings(locked: true), null, item);

        var failure = Assert.Single(outcome.Failures);
        Assert.Equal(BuildErrorCodes.LockedDeclarationsChanged, failure.Code);
        Assert.Contains(why, failure.Message);
        Assert.Equal(0, h.MarketOpened);
    }

    [Fact]
    public async Task ANormalBuildResolvesAChangedItemAgainAndSaysWhy()
    {
        var (json, id) = TestManifests.Complexity();
        var (docs, docsId) = DocsVariant();
        await LockFromContentAsync("Classifier", json, id, 0);
        var market = new ScriptedMarket { Acquire = (_, _) => new MarketAcquisition(ManifestVerifier.Verify(docs), Lock(docsId, 0), 0, false, "docs won") };

        var outcome = await h.RunAsync(h.Settings(), market, h.Declare("Classifier", ("Family", "complexity"), ("Domains", "docs")));

        Assert.Empty(outcome.Failures);
        Assert.Contains("dsrs: Classifier: the locked manifest has domains [rust] but the item asks for [docs]: resolving again", h.Log.Summaries);
        var entry = LockFileStore.Read(h.LockFile).Get("Classifier")!;
        Assert.Equal(docsId, entry.CompiledId);
        Assert.Equal(["docs", "rust"], entry.Domains);
        Assert.Equal("complexity", entry.Family);
        Assert.Equal(0.91, entry.Accuracy);
    }

    [Fact]
    public async Task ASatisfiedLockIsKeptWhateverTheMarketOffersAndStaysOffline()
    {
        var (json, id) = TestManifests.Complexity();
        await LockFromContentAsync("Classifier", json, id, 0);
        var before = File.ReadAllText(h.LockFile);

        var outcome = await h.RunAsync(h.Settings(), null, h.Declare("Classifier", ("Family", "complexity"), ("Domains", "RUST"), ("MinAccuracy", "0.9")));

        Assert.Empty(outcome.Failures);
        Assert.Equal(0, h.MarketOpened);
        Assert.Equal(before, File.ReadAllText(h.LockFile));
    }

    [Fact]
    public async Task AnEntryWrittenBeforeTheFactsWereRecordedIsJudgedOnItsCachedContent()
    {
        var (json, id) = TestManifests.Complexity();
        h.WriteCache(id, json);
        var old = new LockFile();
        old.Manifests["Classifier"] = new LockEntry { SignatureName = "ComplexityClassificationSignature", CompiledId = id, Address = Address(Seller, id), Seller = Seller, Relays = ["ws://127.0.0.1:1/"] };
        await old.WriteAsync(h.LockFile);

        var outcome = await h.RunAsync(h.Settings(locked: true), null, h.Declare("Classifier", ("Family", "complexity"), ("Domains", "docs")));

        Assert.Contains("domains [rust] but the item asks for [docs]", Assert.Single(outcome.Failures).Message);

        // Satisfied: a normal build hands it over and records the facts in the entry.
        Assert.Empty((await h.RunAsync(h.Settings(), null, h.Declare("Classifier", ("Family", "complexity")))).Failures);
        Assert.Equal(["rust"], LockFileStore.Read(h.LockFile).Get("Classifier")!.Domains);
    }

    [Fact]
    public async Task AnEntryEditedToPointAtOtherCachedContentIsRefusedForItsSignatureName()
    {
        var (json, id) = TestManifests.Complexity();
        var (planner, plannerId) = TestManifests.Planner();
        h.WriteCache(plannerId, planner);
        await LockFromContentAsync("Classifier", json, id, 0, compiledIdOverride: plannerId);

        var outcome = await h.RunAsync(h.Settings(locked: true), null, h.Declare("Classifier", ("Family", "complexity")));

        var failure = Assert.Single(outcome.Failures);
        Assert.Equal(BuildErrorCodes.LockedSignatureMismatch, failure.Code);
        Assert.Contains("PlannerSignature", failure.Message);
        Assert.Empty(outcome.Resolved);
    }

    [Fact]
    public async Task AnEntryWhoseAddressNamesAnotherManifestIsRefused()
    {
        var (json, id) = TestManifests.Complexity();
        var (other, otherId) = TestManifests.Complexity("Another instruction.");
        h.WriteCache(otherId, other);
        await LockFromContentAsync("Classifier", json, id, 0, compiledIdOverride: otherId);

        var outcome = await h.RunAsync(h.Settings(), null, h.Declare("Classifier", ("Family", "complexity")));

        Assert.Equal(BuildErrorCodes.LockedAddressMismatch, Assert.Single(outcome.Failures).Code);
        Assert.Equal(0, h.MarketOpened);
    }

    [Fact]
    public async Task AnEntryWhoseSellerDisagreesWithItsAddressIsRefused()
    {
        var (json, id) = TestManifests.Complexity();
        h.WriteCache(id, json);
        var facts = ManifestFacts.Of(ManifestVerifier.Verify(json));
        var entry = Lock(id, 0).WithFacts(facts) with { Seller = OtherSeller };
        await LockFileStore.UpdateAsync(h.LockFile, h.Home, new Dictionary<string, LockEntry> { ["Classifier"] = entry }, null, CancellationToken.None);

        var outcome = await h.RunAsync(h.Settings(locked: true), null, h.Declare("Classifier", ("Family", "complexity")));

        Assert.Equal(BuildErrorCodes.LockedSellerMismatch, Assert.Single(outcome.Failures).Code);
    }

    [Fact]
    public void ThePlanIsDecidedOnceAndSaysWhetherTheItemSearches()
    {
        var (json, id) = TestManifests.Complexity();
        h.WriteCache(id, json);
        var locked = Lock(id, 0).WithFacts(ManifestFacts.Of(ManifestVerifier.Verify(json)));
        var resolver = new ManifestResolver(h.Settings(), h.Log);

        Assert.Equal(ResolveStep.UseLock, resolver.Plan(h.Declare("A", ("Family", "complexity")), locked).Step);
        var changed = resolver.Plan(h.Declare("A", ("Family", "complexity"), ("Domains", "docs")), locked);
        Assert.True(changed.Searches);
        Assert.Contains("domains [rust]", changed.Why);
        Assert.True(resolver.Plan(h.Declare("A", ("Family", "complexity")), null).Searches);
        Assert.False(new ManifestResolver(h.Settings(locked: true), h.Log).Plan(h.Declare("A", ("Family", "complexity"), ("Domains", "docs")), locked).Searches);
        Assert.Equal(ResolveStep.SkipInDesignTime, new ManifestResolver(h.Settings(locked: true, designTime: true), h.Log).Plan(h.Declare("A", ("Family", "complexity")), null).Step);
    }

    private static (string Json, string Id) DocsVariant()
    {
        var (json, _) = TestManifests.Complexity("Classify docs tasks.");
        var manifest = Format.Json.JsonParser.ParseObject(json);
        manifest.Remove("compiled_id");
        manifest.Remove("domain_tags");
        manifest.Add("domain_tags", new Format.Json.JsonArray().Add("rust").Add("docs"));
        var id = Format.CompiledId.Compute(manifest);
        manifest.Add("compiled_id", id);
        return (Format.Json.JsonWriter.WriteFile(manifest), id);
    }

    private async Task LockFromContentAsync(string name, string json, string id, long price, string? compiledIdOverride = null)
    {
        h.WriteCache(id, json);
        var entry = Lock(id, price).WithFacts(ManifestFacts.Of(ManifestVerifier.Verify(json)));
        if (compiledIdOverride is not null)
        {
            entry = entry with { CompiledId = compiledIdOverride };
        }

        await LockFileStore.UpdateAsync(h.LockFile, h.Home, new Dictionary<string, LockEntry> { [name] = entry }, null, CancellationToken.None);
    }

    private static string Address(string seller, string id) => "31990:" + seller + ":dsrs-manifest:" + id;

    private static LockEntry Lock(string id, long price) => new()
    {
        SignatureName = "ComplexityClassificationSignature",
        CompiledId = id,
        Seller = Seller,
        Address = Address(Seller, id),
        PriceMsat = price,
        Relays = ["ws://127.0.0.1:1/"],
    };
}
