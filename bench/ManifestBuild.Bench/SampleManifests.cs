using System.Globalization;
using System.Text;
using ManifestBuild.Format;
using ManifestBuild.Format.Json;

namespace ManifestBuild.Bench;

/// <summary>Deterministic manifests of the protocol's shape, for figures that need many or large ones.</summary>
public static class SampleManifests
{
    private static readonly string[] Levels = ["Low", "Medium", "High", "VeryHigh"];

    /// <summary>A complete dsrs.manifest/1 with its compiled_id, numbered so that each one is distinct.</summary>
    public static string Create(int number, string family = "complexity", string domain = "rust", int demos = 4)
    {
        var sb = new StringBuilder();
        sb.Append("{\"format\":\"dsrs.manifest/1\",\"signature_name\":\"ComplexityClassificationSignature\",");
        sb.Append("\"family\":").Append(JsonStringEscaper.Escape(family)).Append(',');
        sb.Append("\"instruction\":").Append(JsonStringEscaper.Escape($"Classify the complexity of the task (variant {number}). Answer with one level.")).Append(',');
        sb.Append("\"inputs\":[{\"name\":\"task\",\"type\":\"string\",\"description\":\"the task to classify\"}],");
        sb.Append("\"outputs\":[{\"name\":\"complexity\",\"type\":\"enum\",\"values\":[\"Low\",\"Medium\",\"High\",\"VeryHigh\"]}],");
        sb.Append("\"demos\":[");
        for (var i = 0; i < demos; i++)
        {
            if (i > 0)
            {
                sb.Append(',');
            }

            sb.Append("{\"inputs\":{\"task\":").Append(JsonStringEscaper.Escape($"demo task {number}.{i}: refactor the module")).Append("},");
            sb.Append("\"outputs\":{\"complexity\":\"").Append(Levels[(number + i) % Levels.Length]).Append("\"}}");
        }

        sb.Append("],\"optimizer\":\"mipro\",\"adapter\":\"chat\",");
        sb.Append("\"scorecard\":{\"median_score\":0.87,\"rollouts\":64,\"accuracy\":").Append((0.80 + (number % 20) / 200.0).ToString("R", CultureInfo.InvariantCulture)).Append("},");
        sb.Append("\"domain_tags\":[").Append(JsonStringEscaper.Escape(domain)).Append("],\"example_count\":").Append(100 + number).Append(",\"created_at\":1764000000}");
        var manifest = JsonParser.ParseObject(sb.ToString());
        manifest.Set("compiled_id", new JsonString(CompiledId.Compute(manifest)));
        return JsonWriter.Write(manifest, indented: false);
    }

    /// <summary>A manifest padded with demos to about <paramref name="bytes"/> bytes.</summary>
    public static string OfSize(int bytes)
    {
        var demos = Math.Max(1, bytes / 150);
        return Create(1, demos: demos);
    }
}
