using System.Text.Json;
using System.Text.Json.Serialization;

namespace ManifestBuild.Lightning.Storage;

/// <summary>JSON settings shared by the dev ledger and the purchase ledger: snake_case, enums as strings.</summary>
internal static class LedgerJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    public static readonly JsonSerializerOptions Compact = new(Options) { WriteIndented = false };
}
