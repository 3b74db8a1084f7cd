using ManifestBuild.Format;
using ManifestBuild.Tasks.Resolution;

namespace ManifestBuild.Tasks.Datasets;

/// <summary>One <c>&lt;DsrsDataset&gt;</c> item, parsed and checked: what to search for and the most it may cost.</summary>
public sealed record DeclaredDataset
{
    public required string Name { get; init; }

    public required string Family { get; init; }

    public IReadOnlyList<string> Domains { get; init; } = [];

    public long? MaxPriceMsat { get; init; }

    public string? SellerHex { get; init; }

    /// <summary>A pinned dataset_id: only this exact version is acceptable.</summary>
    public string? DatasetId { get; init; }

    public ItemLocation Location { get; init; } = ItemLocation.None;

    /// <summary>
    /// Reads an item's metadata with the manifest item's own rules (name, domains, price, seller), so one
    /// metadata value means the same on both kinds of item. Family is required: a dataset is found by it.
    /// </summary>
    public static DeclaredDataset Parse(string name, Func<string, string> metadata, string projectDirectory, ItemLocation location)
    {
        if (metadata("Path").Trim().Length > 0 || metadata("MinAccuracy").Trim().Length > 0)
        {
            throw new DsrsException(BuildErrorCodes.InvalidDatasetItem, $"DsrsDataset '{name}': Path and MinAccuracy are DsrsManifest metadata; a dataset is declared by Family, Domains, MaxPriceMsat, Seller and DatasetId");
        }

        var pin = metadata("DatasetId").Trim();
        var shared = DeclaredManifest.Parse(name, key => key == "CompiledId" ? pin : metadata(key), projectDirectory, location);
        return new DeclaredDataset
        {
            Name = name,
            Family = shared.Family ?? throw new DsrsException(BuildErrorCodes.InvalidDatasetItem, $"DsrsDataset '{name}': give Family (the dataset family to search the market for)"),
            Domains = shared.Domains,
            MaxPriceMsat = shared.MaxPriceMsat,
            SellerHex = shared.SellerHex,
            DatasetId = shared.CompiledId,
            Location = location,
        };
    }

    /// <summary>Why a lock entry no longer satisfies this declaration, or null when it does.</summary>
    public string? Unmet(Format.Locking.LockEntry locked)
    {
        if (locked.Family != Family)
        {
            return $"the locked dataset's family is {locked.Family ?? "unknown"}, not {Family}";
        }

        if (Domains.FirstOrDefault(d => !locked.Domains.Contains(d, StringComparer.Ordinal)) is { } missing)
        {
            return $"the locked dataset is not tagged with domain {missing}";
        }

        if (MaxPriceMsat is { } max && locked.PriceMsat > max)
        {
            return $"the locked dataset cost {locked.PriceMsat} msat, above MaxPriceMsat {max}";
        }

        if (SellerHex is not null && !string.Equals(locked.Seller, SellerHex, StringComparison.OrdinalIgnoreCase))
        {
            return "the locked dataset's seller is not the declared Seller";
        }

        return DatasetId is not null && locked.CompiledId != DatasetId ? "the locked dataset_id is not the pinned DatasetId" : null;
    }
}
