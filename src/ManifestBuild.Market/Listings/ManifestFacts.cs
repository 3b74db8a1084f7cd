using System.Globalization;
using ManifestBuild.Format.Json;

namespace ManifestBuild.Market.Listings;

/// <summary>Reads the few manifest members a listing is made of, without requiring a full model.</summary>
internal static class ManifestFacts
{
    public static string? Family(JsonObject manifest) => manifest.GetString("family");

    public static string? SignatureName(JsonObject manifest) => manifest.GetString("signature_name");

    public static IReadOnlyList<string> Domains(JsonObject manifest) =>
        manifest["domain_tags"] is JsonArray tags
            ? tags.Select(t => t.AsString()).OfType<string>().Select(t => t.Trim().ToLowerInvariant()).Where(t => t.Length > 0).Distinct(StringComparer.Ordinal).ToList()
            : [];

    /// <summary>
    /// The scorecard's held-out accuracy, else its median score (the seed's only metric), as JSON number
    /// text; a negative zero (-0, -0.0) is written 0, since the listing's accuracy tag is unsigned.
    /// </summary>
    public static string? AccuracyText(JsonObject manifest)
    {
        var text = manifest["scorecard"] is JsonObject scorecard
            ? (scorecard["accuracy"] as JsonNumber ?? scorecard["median_score"] as JsonNumber)?.Text
            : null;
        return text is not null && text.StartsWith('-') && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value == 0 ? "0" : text;
    }

    public static long? ExampleCount(JsonObject manifest) =>
        manifest["example_count"] is JsonNumber n && n.TryGetInt64(out var count) ? count : null;

    public static bool TryParseAccuracy(string? text, out double value) =>
        double.TryParse(text, NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out value) && value >= 0 && value <= 1;

    /// <summary>The paid listing's content: the manifest with the members a buyer pays for removed.</summary>
    public static JsonObject WithoutPaidContent(JsonObject manifest)
    {
        var preview = manifest.CloneObject();
        preview.Remove("instruction");
        preview.Remove("demos");
        return preview;
    }
}
