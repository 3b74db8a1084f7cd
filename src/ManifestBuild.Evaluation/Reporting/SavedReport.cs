using ManifestBuild.Format;
using ManifestBuild.Format.Json;

namespace ManifestBuild.Evaluation.Reporting;

/// <summary>
/// The members of a saved <c>dsrs evaluate --json</c> report that a measured review publishes. Read back
/// strictly: a report of another format, or one missing a member, is refused (DSRS1207) rather than guessed at.
/// </summary>
public sealed record SavedReport(string CompiledId, string SignatureName, double Accuracy, long N, string Metric, string Model, string ExamplesSha256, double? BaselineAccuracy)
{
    public static SavedReport Load(string path)
    {
        string text;
        try
        {
            text = Manifest.ReadText(path);
        }
        catch (DsrsException e)
        {
            throw Invalid(path, e.Message);
        }

        JsonObject json;
        try
        {
            json = JsonParser.ParseObject(text);
        }
        catch (DsrsException e)
        {
            throw Invalid(path, "not a JSON object: " + e.Message);
        }

        if (json.GetString("format") != EvaluationReport.FormatV1)
        {
            throw Invalid(path, $"not a {EvaluationReport.FormatV1} report (save one with `dsrs evaluate ... --json > report.json`)");
        }

        var compiledId = json.GetString("compiled_id") is { } id && Format.CompiledId.IsWellFormed(id) ? id : throw Invalid(path, "compiled_id is missing or not 64 lowercase hex");
        return new SavedReport(
            compiledId,
            json.GetString("signature_name") ?? string.Empty,
            Number(json, "accuracy", path),
            json["n"] is JsonNumber n && n.TryGetInt64(out var count) ? count : throw Invalid(path, "n is missing or not an integer"),
            json.GetString("metric") ?? throw Invalid(path, "metric is missing"),
            json.GetString("model") ?? throw Invalid(path, "model is missing"),
            json.GetString("examples_sha256") ?? throw Invalid(path, "examples_sha256 is missing"),
            json["baseline"] is JsonObject baseline ? Number(baseline, "accuracy", path) : null);
    }

    private static double Number(JsonObject json, string name, string path) =>
        json[name] is JsonNumber number ? number.Value : throw Invalid(path, name + " is missing or not a number");

    private static DsrsException Invalid(string path, string why) => new(EvaluationErrorCodes.InvalidReport, path + ": " + why);
}
