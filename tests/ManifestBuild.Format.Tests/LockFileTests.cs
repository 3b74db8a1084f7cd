using ManifestBuild.Format.Locking;
using ManifestBuild.TestSupport;

namespace ManifestBuild.Format.Tests;

public class LockFileTests
{
    private static readonly string IdA = new('a', 64);
    private static readonly string IdB = new('b', 64);

    private static LockFile Sample()
    {
        var lockFile = new LockFile();
        lockFile.Manifests["Planner"] = new LockEntry { SignatureName = "PlanningSignature", CompiledId = IdB, ResolvedAt = 1764000100 };
        lockFile.Manifests["ComplexityClassification"] = new LockEntry
        {
            SignatureName = "ComplexityClassificationSignature",
            CompiledId = IdA,
            Family = "complexity",
            Domains = ["rust", "docs"],
            Accuracy = 0.91,
            Address = "31990:" + new string('c', 64) + ":dsrs-manifest:" + IdA,
            EventId = new string('d', 64),
            Seller = new string('c', 64),
            PriceMsat = 50000,
            PaymentHash = new string('e', 64),
            Relays = ["wss://relay.two", "wss://relay.one"],
            ResolvedAt = 1764000000,
        };
        return lockFile;
    }

    private const string Expected = """
        {
          "version": 1,
          "manifests": {
            "ComplexityClassification": {
              "signature_name": "ComplexityClassificationSignature",
              "compiled_id": "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
              "family": "complexity",
              "domains": [
                "docs",
                "rust"
              ],
              "accuracy": 0.91,
              "address": "31990:cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc:dsrs-manifest:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
              "event_id": "dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd",
              "seller": "cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc",
              "price_msat": 50000,
              "payment_hash": "eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee",
              "relays": [
                "wss://relay.one",
                "wss://relay.two"
              ],
              "resolved_at": 1764000000
            },
            "Planner": {
              "signature_name": "PlanningSignature",
              "compiled_id": "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb",
              "family": null,
              "domains": [],
              "accuracy": null,
              "address": null,
              "event_id": null,
              "seller": null,
              "price_msat": 0,
              "payment_hash": null,
              "relays": [],
              "resolved_at": 1764000100
            }
          }
        }

        """;

    [Fact]
    public void WritesSortedTwoSpaceIndentedLfWithTrailingNewline()
    {
        Assert.Equal(Expected.Replace("\r\n", "\n"), Sample().ToText());
    }

    [Fact]
    public async Task WritingTheSameContentTwiceGivesIdenticalBytesAndLeavesTheFileAlone()
    {
        using var temp = new TempDirectory();
        var path = temp.Combine(LockFile.FileName);

        Assert.True(await Sample().WriteAsync(path));
        var first = File.ReadAllBytes(path);
        var stamp = File.GetLastWriteTimeUtc(path);
        Assert.False(await LockFile.Read(path).WriteAsync(path));
        Assert.False(await Sample().WriteAsync(path));

        Assert.Equal(first, File.ReadAllBytes(path));
        Assert.Equal(stamp, File.GetLastWriteTimeUtc(path));
        Assert.DoesNotContain((byte)'\r', first);
        Assert.Equal((byte)'\n', first[^1]);
        Assert.NotEqual(0xEF, first[0]); // no BOM
    }

    [Fact]
    public void ReadsBackEveryField()
    {
        var read = LockFile.Parse(Sample().ToText());

        var entry = read.Manifests["ComplexityClassification"];
        Assert.Equal(["ComplexityClassification", "Planner"], read.Manifests.Keys);
        Assert.Equal("ComplexityClassificationSignature", entry.SignatureName);
        Assert.Equal(IdA, entry.CompiledId);
        Assert.Equal(50000, entry.PriceMsat);
        Assert.Equal(new string('e', 64), entry.PaymentHash);
        Assert.Equal(["wss://relay.one", "wss://relay.two"], entry.Relays);
        Assert.Equal(1764000000, entry.ResolvedAt);
        Assert.Equal(string.Empty, read.Manifests["Planner"].Address); // null in the file: a local file has no listing
        Assert.Equal("complexity", entry.Family);
        Assert.Equal(["docs", "rust"], entry.Domains);
        Assert.Equal(0.91, entry.Accuracy);
    }

    [Fact]
    public void AVersionOneFileWrittenBeforeTheRecordedFactsStillReads()
    {
        var old = "{\"version\":1,\"manifests\":{\"A\":{\"signature_name\":\"S\",\"compiled_id\":\"" + IdA + "\",\"address\":null,\"event_id\":null,\"seller\":null,\"price_msat\":0,\"payment_hash\":null,\"relays\":[],\"resolved_at\":1}}}";

        var entry = LockFile.Parse(old).Manifests["A"];

        Assert.Null(entry.Family);
        Assert.Empty(entry.Domains);
        Assert.Null(entry.Accuracy);
        Assert.Contains("\"version\": 1,", LockFile.Parse(old).ToText());
    }

    [Fact]
    public void KeyOrderInTheFileDoesNotMatter()
    {
        var shuffled = "{\"manifests\":{\"Planner\":{\"resolved_at\":1764000100,\"compiled_id\":\"" + IdB + "\",\"signature_name\":\"PlanningSignature\"}},\"version\":1}";

        var text = LockFile.Parse(shuffled).ToText();

        Assert.Contains("\"Planner\": {\n      \"signature_name\": \"PlanningSignature\",\n      \"compiled_id\"", text);
    }

    [Fact]
    public void NewerVersionIsRefusedClearly()
    {
        using var temp = new TempDirectory();
        var path = temp.Write(LockFile.FileName, "{\"version\":2,\"manifests\":{},\"future\":true}\n");

        var e = Assert.Throws<DsrsException>(() => LockFile.Read(path));

        Assert.Equal("DSRS0201", e.Code);
        Assert.Contains("lockfile version 2 was written by a newer ManifestBuild; this one reads version 1", e.Message);
        Assert.StartsWith(path, e.Message);
    }

    [Theory]
    [InlineData("[]", "must be a JSON object")]
    [InlineData("{\"manifests\":{}}", "version must be a positive integer")]
    [InlineData("{\"version\":1}", "manifests must be an object")]
    [InlineData("{\"version\":1,\"manifests\":{\"A\":{\"signature_name\":\"S\",\"compiled_id\":\"xyz\"}}}", "manifests.A.compiled_id must be 64 lowercase hex digits")]
    [InlineData("{\"version\":1,\"manifests\":{\"A\":{\"compiled_id\":\"x\"}}}", "manifests.A.signature_name must be a string")]
    [InlineData("{\"version\":1,\"manifests\":{\"A\":{\"signature_name\":\"S\",\"compiled_id\":\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\",\"price_msat\":-1}}}", "manifests.A.price_msat must be a non-negative integer")]
    [InlineData("{\"version\":1,\"manifests\":{\"A\":{\"signature_name\":\"S\",\"compiled_id\":\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\",\"relays\":[1]}}}", "manifests.A.relays must be an array")]
    [InlineData("{\"version\":1,\"manifests\":{\"A\":{\"signature_name\":\"S\",\"compiled_id\":\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\",\"accuracy\":1.5}}}", "manifests.A.accuracy must be a number between 0 and 1")]
    [InlineData("{\"version\":1,\"manifests\":{\"A\":{\"signature_name\":\"S\",\"compiled_id\":\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\",\"domains\":\"rust\"}}}", "manifests.A.domains must be an array")]
    [InlineData("{\"version\":1,\"manifests\":{},}", "trailing comma")]
    public void InvalidLockfilesAreRefused(string text, string why)
    {
        var e = Assert.Throws<DsrsException>(() => LockFile.Parse(text));

        Assert.Equal("DSRS0200", e.Code);
        Assert.Contains(why, e.Message);
    }

    [Fact]
    public void MissingFileReadsAsEmptyOnlyWhenAsked()
    {
        using var temp = new TempDirectory();
        var path = temp.Combine(LockFile.FileName);

        Assert.Empty(LockFile.ReadOrEmpty(path).Manifests);
        Assert.Equal("DSRS0202", Assert.Throws<DsrsException>(() => LockFile.Read(path)).Code);
    }
}
