using ManifestBuild.Format.Caching;
using ManifestBuild.Format.Json;
using ManifestBuild.TestSupport;

namespace ManifestBuild.Format.Tests;

/// <summary>The one rule set of manifest text (protocol §1), and the cache taking verified text as it is.</summary>
public class ManifestVerifierTests
{
    private const string SeedId = "8302044eb9ef113e2c6d9a0b19a6dd82509edd289a7d1e0a0f4db8e80d248aa4";

    private static string SeedText => File.ReadAllText(TestPaths.Data("seed-manifest.json"));

    [Fact]
    public void TheSeedVerifiesWithAndWithoutItsExpectedId()
    {
        var verified = ManifestVerifier.Verify(SeedText, SeedId);

        Assert.Equal(SeedId, verified.CompiledId);
        Assert.Equal(SeedText, verified.Text);
        Assert.Equal("ComplexityClassificationSignature", verified.SignatureName);
        Assert.Equal(SeedId, ManifestVerifier.Verify(SeedText).CompiledId);
    }

    [Fact]
    public void AMissingStatedIdIsTheRecomputedOneAndMustStillBeTheExpectedOne()
    {
        var json = JsonParser.ParseObject(SeedText);
        json.Remove(CompiledId.MemberName);
        var text = JsonWriter.WriteFile(json);

        Assert.Equal(SeedId, ManifestVerifier.Verify(text).CompiledId);
        Assert.Equal(SeedId, ManifestVerifier.Verify(text, SeedId).CompiledId);
        var e = Assert.Throws<DsrsException>(() => ManifestVerifier.Verify(text, new string('0', 64)));
        Assert.Equal(FormatErrorCodes.UnexpectedCompiledId, e.Code);
        Assert.Contains(SeedId, e.Message);
    }

    [Fact]
    public void AStatedIdThatDiffersFromTheContentIsRefusedEvenWhenTheContentIsTheExpectedOne()
    {
        var json = JsonParser.ParseObject(SeedText);
        json.Set(CompiledId.MemberName, new JsonString(new string('a', 64)));
        var text = JsonWriter.WriteFile(json);

        Assert.Equal(FormatErrorCodes.CompiledIdMismatch, Assert.Throws<DsrsException>(() => ManifestVerifier.Verify(text)).Code);
        Assert.Equal(FormatErrorCodes.CompiledIdMismatch, Assert.Throws<DsrsException>(() => ManifestVerifier.Verify(text, SeedId)).Code);
    }

    [Theory]
    [InlineData("[1]", "DSRS0101")]
    [InlineData("{\"signature_name\":", "DSRS0100")]
    [InlineData("{\"compiled_id\":\"x\"}", "DSRS0101")]
    public void TextThatIsNotAManifestIsRefusedWithItsCode(string text, string code)
    {
        Assert.Equal(code, Assert.ThrowsAny<DsrsException>(() => ManifestVerifier.Verify(text)).Code);
    }

    [Fact]
    public void TheCacheStoresVerifiedTextWithoutCheckingAgainAndOnlyOnce()
    {
        using var home = new TempDirectory();
        var cache = new ManifestCache(home.Path);
        var verified = ManifestVerifier.Verify(SeedText, SeedId);

        using var parses = ManifestVerifier.CountVerifications();
        using var writes = ManifestCache.CountWrites();
        var path = cache.Put(verified);
        cache.Put(verified);

        Assert.Equal(0, parses.Count);
        Assert.Equal(1, writes.Count);
        Assert.Equal(SeedText, File.ReadAllText(path));

        // A read is where bytes come back from disk: checked once, against the file's id.
        var lookup = cache.Lookup(SeedId);
        Assert.Equal(1, parses.Count);
        Assert.Equal(SeedId, lookup.Verified!.CompiledId);
        Assert.Equal(SeedText, lookup.Verified.Text);
    }
}
