using System.Globalization;
using ManifestBuild.Format;
using ManifestBuild.Nostr;

namespace ManifestBuild.Tasks.Resolution;

/// <summary>One <c>&lt;DsrsManifest&gt;</c> item, parsed and checked. Empty metadata is null.</summary>
public sealed record DeclaredManifest
{
    public required string Name { get; init; }

    public string? Family { get; init; }

    public IReadOnlyList<string> Domains { get; init; } = [];

    public double? MinAccuracy { get; init; }

    public long? MaxPriceMsat { get; init; }

    /// <summary>The seller's pubkey as 64 lowercase hex digits (an npub, nprofile or nostr: URI is decoded).</summary>
    public string? SellerHex { get; init; }

    /// <summary>A pinned compiled_id: only this exact version is acceptable.</summary>
    public string? CompiledId { get; init; }

    /// <summary>A local manifest file, full path.</summary>
    public string? LocalPath { get; init; }

    public ItemLocation Location { get; init; } = ItemLocation.None;

    public bool IsLocal => LocalPath is not null;

    /// <summary>Reads an item's metadata; every malformed value is a DsrsException naming the item and the value.</summary>
    public static DeclaredManifest Parse(string name, Func<string, string> metadata, string projectDirectory, ItemLocation location)
    {
        if (!CSharpName.IsValidClassName(name))
        {
            throw new DsrsException(BuildErrorCodes.InvalidItemName, $"DsrsManifest '{name}': the name becomes a C# class name and must be a valid identifier that is not a keyword");
        }

        string? Text(string key)
        {
            var value = metadata(key).Trim();
            return value.Length == 0 ? null : value;
        }

        var path = Text("Path");
        var declared = new DeclaredManifest
        {
            Name = name,
            Family = Text("Family")?.ToLowerInvariant(),
            Domains = (Text("Domains") ?? string.Empty)
                .Split([';', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(d => d.ToLowerInvariant()).Distinct().Order(StringComparer.Ordinal).ToArray(),
            MinAccuracy = ParseAccuracy(name, Text("MinAccuracy")),
            MaxPriceMsat = ParseMsat(name, "MaxPriceMsat", Text("MaxPriceMsat")),
            SellerHex = ParseSeller(name, Text("Seller")),
            CompiledId = ParsePin(name, Text("CompiledId")),
            LocalPath = path is null ? null : System.IO.Path.GetFullPath(System.IO.Path.Combine(projectDirectory, path)),
            Location = location,
        };

        if (declared.LocalPath is null && declared.Family is null && declared.CompiledId is null)
        {
            throw new DsrsException(BuildErrorCodes.NothingToResolveBy, $"DsrsManifest '{name}': give Path (a local file), Family (search the market) or CompiledId (one exact version)");
        }

        return declared;
    }

    private static double? ParseAccuracy(string name, string? text)
    {
        if (text is null)
        {
            return null;
        }

        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || value is < 0 or > 1 || double.IsNaN(value))
        {
            throw new DsrsException(BuildErrorCodes.InvalidItemNumber, $"DsrsManifest '{name}': MinAccuracy '{text}' is not a number between 0 and 1");
        }

        return value;
    }

    internal static long? ParseMsat(string name, string what, string? text)
    {
        if (text is null)
        {
            return null;
        }

        if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            throw new DsrsException(BuildErrorCodes.InvalidItemNumber, $"DsrsManifest '{name}': {what} '{text}' is not a whole number of millisats");
        }

        return value;
    }

    internal static string? ParseSeller(string name, string? text)
    {
        if (text is null)
        {
            return null;
        }

        return NostrPublicKey.TryParse(text, out var key, out var error)
            ? key.Hex
            : throw new DsrsException(BuildErrorCodes.InvalidSeller, $"DsrsManifest '{name}': the Seller metadata is not a seller's public key: {error}");
    }

    private static string? ParsePin(string name, string? text)
    {
        if (text is null)
        {
            return null;
        }

        if (!ManifestBuild.Format.CompiledId.IsWellFormed(text))
        {
            throw new DsrsException(BuildErrorCodes.InvalidCompiledIdPin, $"DsrsManifest '{name}': CompiledId '{text}' is not 64 lowercase hex digits");
        }

        return text;
    }
}
