using ManifestBuild.Format;
using ManifestBuild.Format.Datasets;
using ManifestBuild.Format.Json;
using ManifestBuild.Market.Redaction;

namespace ManifestBuild.Market.Tests;

public sealed class DatasetPrivacyTests
{
    private static Dataset Numbers(int count, double value = 0)
    {
        var rows = new JsonArray();
        for (var i = 0; i < count; i++)
        {
            rows.Add(new JsonObject().Add("task", "t" + i).Add("tokens", (long)value).Add("score", value + 0.5).Add("label", i % 2 == 0 ? "a" : "b"));
        }

        return DatasetImporter.Import(JsonWriter.Write(rows, false), new DatasetImportOptions { Family = "complexity", OutputNames = ["label", "score"] });
    }

    [Fact]
    public void Laplace_noise_has_the_calibrated_scale_from_the_csprng()
    {
        const int n = 20_000;
        var noised = DatasetPrivacy.AddLaplaceNoise(Numbers(n), [new NoiseSpec("score", Epsilon: 0.5, Sensitivity: 2)]);
        var noise = noised.Examples.Select(e => ((JsonNumber)((JsonObject)e["outputs"]!)["score"]!).Value - 0.5).ToList();
        const double scale = 4; // sensitivity / epsilon
        // Laplace(0, b): mean 0 (sd of the sample mean b*sqrt(2/n)), E|X| = b (sd b/sqrt(n)); bounds are 5 sd.
        Assert.InRange(noise.Average(), -5 * scale * Math.Sqrt(2.0 / n), 5 * scale * Math.Sqrt(2.0 / n));
        Assert.InRange(noise.Average(Math.Abs), scale * (1 - (5 / Math.Sqrt(n))), scale * (1 + (5 / Math.Sqrt(n))));
        Assert.True(noise.Distinct().Count() > n * 0.99, "the noise repeats: not random");
    }

    [Fact]
    public void The_inverse_cdf_is_the_laplace_one()
    {
        Assert.Equal(3 * Math.Log(2), DatasetPrivacy.Laplace(3, () => 0.75), 12);
        Assert.Equal(-3 * Math.Log(2), DatasetPrivacy.Laplace(3, () => 0.25), 12);
        Assert.Equal(0, DatasetPrivacy.Laplace(3, () => 0.5), 12);
    }

    [Fact]
    public void Int_fields_are_rounded_and_floored_and_the_measure_is_recorded()
    {
        var dataset = Numbers(200, value: 1);
        var noised = DatasetPrivacy.AddLaplaceNoise(dataset, [NoiseSpec.Parse("tokens:1:10:0")]);
        var values = noised.Examples.Select(e => (JsonNumber)((JsonObject)e["inputs"]!)["tokens"]!).ToList();
        Assert.All(values, v => Assert.True(v.TryGetInt64(out var i) && i >= 0));
        Assert.Contains(values, v => v.Value != 1);
        var recorded = (JsonObject)((JsonArray)((JsonObject)noised.Json["privacy"]!)["noise"]!).Single();
        Assert.Equal("tokens", recorded.GetString("field"));
        Assert.Equal("laplace", recorded.GetString("mechanism"));
        Assert.NotEqual(dataset.StatedId, noised.StatedId);
        Assert.Equal(noised.StatedId, noised.VerifyId());
    }

    [Theory]
    [InlineData("label:1:1")]
    [InlineData("missing:1:1")]
    [InlineData("tokens:0:1")]
    [InlineData("tokens:1:-1")]
    [InlineData("tokens:x:1")]
    [InlineData("tokens")]
    public void Bad_noise_requests_are_refused_with_a_code(string spec)
    {
        var e = Assert.Throws<DsrsException>(() => DatasetPrivacy.AddLaplaceNoise(Numbers(2), [NoiseSpec.Parse(spec)]));
        Assert.Equal(FormatErrorCodes.DatasetPrivacyInvalid, e.Code);
    }

    [Fact]
    public void Only_public_keeps_examples_from_public_repositories_on_public_code_hosts()
    {
        var json = (JsonObject)Numbers(4).Json.DeepClone();
        var examples = (JsonArray)json["examples"]!;
        ((JsonObject)examples[0]).Set("provenance", new JsonObject().Add("public", true).Add("repository", "https://github.com/rust-lang/cargo"));
        ((JsonObject)examples[1]).Set("provenance", new JsonObject().Add("public", true).Add("repository", "https://git.acme-internal.com/x/y"));
        ((JsonObject)examples[2]).Set("provenance", new JsonObject().Add("public", false));
        ((JsonObject)examples[3]).Set("provenance", new JsonObject().Add("public", true));
        var (kept, removed) = DatasetPrivacy.KeepOnlyPublic(Dataset.Seal(json));
        Assert.Equal(3, removed);
        Assert.Equal("t0", ((JsonObject)kept.Examples.Single()["inputs"]!).GetString("task"));
        var provenance = (JsonObject)kept.Json["provenance"]!;
        Assert.Equal("public", provenance.GetString("visibility"));
        Assert.Equal(["https://github.com/rust-lang/cargo"], ((JsonArray)provenance["repositories"]!).Select(r => r.AsString()));
        Assert.Equal(1, kept.ExampleCount);
    }

    [Fact]
    public void Redacting_a_dataset_keeps_its_provenance_and_recomputes_its_id()
    {
        var json = (JsonObject)Numbers(2).Json.DeepClone();
        var examples = (JsonArray)json["examples"]!;
        ((JsonObject)((JsonObject)examples[0])["inputs"]!).Set("task", new JsonString("see https://git.acme-internal.com/pay/ledger-core"));
        ((JsonObject)((JsonObject)examples[1])["inputs"]!).Set("task", new JsonString("ledger-core again"));
        ((JsonObject)examples[1]).Set("provenance", new JsonObject().Add("public", true).Add("repository", "https://github.com/rust-lang/cargo"));
        var dataset = Dataset.Seal(json);
        var result = ManifestRedactor.Redact(dataset.Json, RedactionMode.Paths);
        var redacted = Dataset.FromJson((JsonObject)result.Document);
        Assert.Equal(Dataset.IdMember, result.IdMember);
        Assert.Equal(dataset.StatedId, result.OldCompiledId);
        Assert.Equal(redacted.VerifyId(), result.NewCompiledId);
        var text = redacted.ToFileText();
        Assert.DoesNotContain("ledger-core", text, StringComparison.Ordinal);
        Assert.Contains("https://github.com/rust-lang/cargo", text, StringComparison.Ordinal);
        Assert.DoesNotContain(SecretScanner.Scan(redacted.Json), f => f.Where.Contains("inputs", StringComparison.Ordinal));
    }
}
