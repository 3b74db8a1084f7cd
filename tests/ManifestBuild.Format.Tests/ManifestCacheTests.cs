using ManifestBuild.Format.Caching;
using ManifestBuild.TestSupport;

namespace ManifestBuild.Format.Tests;

public class ManifestCacheTests
{
    private const string SeedId = "8302044eb9ef113e2c6d9a0b19a6dd82509edd289a7d1e0a0f4db8e80d248aa4";

    private static string SeedText => File.ReadAllText(TestPaths.Data("seed-manifest.json"));

    [Fact]
    public void PutThenGetReturnsTheVerifiedManifestAndExactText()
    {
        using var home = new TempDirectory();
        var cache = new ManifestCache(home.Path);

        var path = cache.PutText(SeedText);

        Assert.Equal(Path.Combine(home.Path, "cache", SeedId + ".json"), path);
        Assert.Equal(path, cache.GetPath(SeedId));
        Assert.True(cache.TryGet(SeedId, out var manifest));
        Assert.Equal("ComplexityClassificationSignature", manifest.SignatureName);
        Assert.Equal(SeedText, cache.Lookup(SeedId).Text);
        Assert.Equal([SeedId], cache.List());
        Assert.Empty(Directory.GetFiles(cache.CacheDirectory, "*.tmp"));
    }

    [Fact]
    public void MissingEntryIsAMiss()
    {
        using var home = new TempDirectory();
        var cache = new ManifestCache(home.Path);

        Assert.False(cache.TryGet(SeedId, out _));
        Assert.Equal(CacheLookupStatus.Miss, cache.Lookup(SeedId).Status);
        Assert.Empty(cache.List());
    }

    [Fact]
    public void PutRefusesAManifestWhoseIdDoesNotMatch()
    {
        using var home = new TempDirectory();
        var cache = new ManifestCache(home.Path);

        var e = Assert.Throws<DsrsException>(() => cache.PutText(SeedText.Replace("\"mipro\"", "\"gepa\"")));

        Assert.Equal("DSRS0104", e.Code);
        Assert.Empty(cache.List());
    }

    [Theory]
    [InlineData("tampered")]
    [InlineData("truncated")]
    [InlineData("wrong-name")]
    [InlineData("not-utf8")]
    public void CorruptEntryIsReportedQuarantinedAndTreatedAsAMiss(string damage)
    {
        using var home = new TempDirectory();
        var cache = new ManifestCache(home.Path);
        var path = cache.PutText(SeedText);
        switch (damage)
        {
            case "tampered":
                File.WriteAllText(path, SeedText.Replace("low, medium", "LOW, medium"));
                break;
            case "truncated":
                File.WriteAllText(path, SeedText[..40]);
                break;
            case "wrong-name":
                // Valid content, but under another id's name: it must not be served as that id.
                var other = new string('0', 64);
                File.Copy(path, cache.GetPath(other));
                File.Delete(path);
                path = cache.GetPath(other);
                break;
            default:
                File.WriteAllBytes(path, [0x7B, 0xFF, 0x7D]);
                break;
        }

        var id = Path.GetFileNameWithoutExtension(path);
        var lookup = cache.Lookup(id);

        Assert.Equal(CacheLookupStatus.Quarantined, lookup.Status);
        Assert.Null(lookup.Manifest);
        Assert.Equal("DSRS0210", lookup.Problem!.Code);
        Assert.Contains(path, lookup.Problem.Message);
        Assert.Contains("moved to " + cache.QuarantineDirectory, lookup.Problem.Message);
        Assert.False(File.Exists(path));
        Assert.Single(Directory.GetFiles(cache.QuarantineDirectory));
        Assert.False(cache.TryGet(id, out _));

        // Re-fetching puts a good copy back.
        if (id == SeedId)
        {
            cache.PutText(SeedText);
            Assert.True(cache.TryGet(SeedId, out _));
        }
    }

    [Fact]
    public void PutReplacesACorruptEntry()
    {
        using var home = new TempDirectory();
        var cache = new ManifestCache(home.Path);
        Directory.CreateDirectory(cache.CacheDirectory);
        File.WriteAllText(cache.GetPath(SeedId), "{}");

        cache.PutText(SeedText);

        Assert.Equal(SeedText, File.ReadAllText(cache.GetPath(SeedId)));
    }

    [Fact]
    public void VerifyAllQuarantinesOnlyTheBadEntries()
    {
        using var home = new TempDirectory();
        var cache = new ManifestCache(home.Path);
        cache.PutText(SeedText);
        cache.PutText(File.ReadAllText(TestPaths.Data("complexity-typed.json")));
        File.AppendAllText(cache.GetPath(SeedId), " x");

        var problems = cache.VerifyAll();

        Assert.Single(problems);
        Assert.Contains(SeedId, problems[0].Message);
        Assert.Equal(["06a162de1fab963b43fcb1bd8f1799ed2d02f5f2fef263b92b745c77179fe541"], cache.List());
    }

    [Fact]
    public void VerifyAllRemovesOnlyStaleTempFiles()
    {
        using var home = new TempDirectory();
        var cache = new ManifestCache(home.Path);
        cache.PutText(SeedText);
        var stale = Path.Combine(cache.CacheDirectory, "." + SeedId + ".json.0123.tmp");
        var fresh = Path.Combine(cache.CacheDirectory, "." + SeedId + ".json.4567.tmp");
        File.WriteAllText(stale, "half");
        File.WriteAllText(fresh, "half");
        File.SetLastWriteTimeUtc(stale, DateTime.UtcNow.AddHours(-2));

        Assert.Empty(cache.VerifyAll());

        Assert.False(File.Exists(stale));
        Assert.True(File.Exists(fresh));
        Assert.Equal([SeedId], cache.List());
    }

    [Theory]
    [InlineData("")]
    [InlineData("../../etc/passwd")]
    [InlineData("8302044EB9EF113E2C6D9A0B19A6DD82509EDD289A7D1E0A0F4DB8E80D248AA4")]
    public void MalformedIdsNeverBecomePaths(string id)
    {
        var cache = new ManifestCache("/nonexistent-home");

        Assert.Equal("DSRS0212", Assert.Throws<DsrsException>(() => cache.GetPath(id)).Code);
    }

    [Fact]
    public void HomeComesFromDsrsHome()
    {
        var cache = ManifestCache.ForEnvironment(name => name == "DSRS_HOME" ? "/tmp/some-home" : null);

        Assert.Equal(Path.Combine("/tmp/some-home", "cache"), cache.CacheDirectory);
    }

    [Fact]
    public async Task ManyThreadsWritingAndReadingTheSameEntriesNeverSeeABadEntry()
    {
        using var home = new TempDirectory();
        var texts = new[] { SeedText, File.ReadAllText(TestPaths.Data("complexity-typed.json")) };
        using var start = new ManualResetEventSlim();

        var workers = Enumerable.Range(0, 8).Select(worker => Task.Run(() =>
        {
            var cache = new ManifestCache(home.Path);
            Assert.True(start.Wait(TimeSpan.FromSeconds(30)));
            for (var round = 0; round < 25; round++)
            {
                var text = texts[(worker + round) % texts.Length];
                cache.PutText(text);
                var lookup = cache.Lookup(Manifest.Parse(text).CompiledId!);
                Assert.Equal(CacheLookupStatus.Hit, lookup.Status);
                Assert.Equal(text, lookup.Text);
            }
        })).ToArray();
        start.Set();

        await Task.WhenAll(workers).WaitAsync(TimeSpan.FromMinutes(2));
        Assert.Equal(2, new ManifestCache(home.Path).List().Count);
        Assert.False(Directory.Exists(new ManifestCache(home.Path).QuarantineDirectory));
    }
}
