using ManifestBuild.Format;
using ManifestBuild.Format.Caching;
using ManifestBuild.Format.Datasets;

namespace ManifestBuild.Market.Buying;

/// <summary>
/// What the acquirer buys: a manifest (compiled_id, <c>$DSRS_HOME/cache/</c>) or a dataset (dataset_id,
/// <c>$DSRS_HOME/datasets/</c>). Only the content check and the cache differ; the payment guard, the
/// ledger, the receipts and the fraud memory are the same for both, keyed by the content address.
/// </summary>
internal abstract class AssetKind
{
    public abstract string Noun { get; }

    /// <summary>Null when the text is the asset with this id; else what is wrong with it.</summary>
    public abstract string? Mismatch(string id, string text);

    /// <summary>The verified cached text and its path, or null (a corrupt entry is quarantined by the cache).</summary>
    public abstract (string Text, string Path)? TryCached(string id);

    /// <summary>Stores verified text; returns the cache path.</summary>
    public abstract string Put(string text);

    public static AssetKind Manifest(string home) => new ManifestKind(new ManifestCache(home));

    public static AssetKind Dataset(string home) => new DatasetKind(new DatasetCache(home));

    private sealed class ManifestKind(ManifestCache cache) : AssetKind
    {
        public override string Noun => "manifest";

        public override string? Mismatch(string id, string text) => ManifestAcquirer.Mismatch(id, text);

        public override (string Text, string Path)? TryCached(string id) =>
            cache.Lookup(id) is { Status: CacheLookupStatus.Hit } hit ? (hit.Text!, cache.GetPath(id)) : null;

        public override string Put(string text) => cache.PutText(text);
    }

    private sealed class DatasetKind(DatasetCache cache) : AssetKind
    {
        public override string Noun => "dataset";

        public override string? Mismatch(string id, string text) => DatasetCache.Mismatch(id, text);

        public override (string Text, string Path)? TryCached(string id) =>
            cache.TryRead(id, out _) is { } text ? (text, cache.GetPath(id)) : null;

        public override string Put(string text) => cache.PutText(text);
    }
}

/// <summary>Verified content as the acquirer got it, before it is typed as a manifest or a dataset.</summary>
internal sealed record AcquiredContent
{
    public required string CompiledId { get; init; }

    public required string Text { get; init; }

    public required AcquireSource Source { get; init; }

    public string? PaymentHash { get; init; }

    public long PricePaidMsat { get; init; }

    public long? FeePaidMsat { get; init; }

    public string CachePath { get; init; } = string.Empty;

    public AcquiredManifest ToManifest() => new()
    {
        CompiledId = CompiledId,
        Manifest = Format.Manifest.Parse(Text),
        Text = Text,
        Source = Source,
        PaymentHash = PaymentHash,
        PricePaidMsat = PricePaidMsat,
        FeePaidMsat = FeePaidMsat,
        CachePath = CachePath,
    };

    public AcquiredDataset ToDataset() => new()
    {
        DatasetId = CompiledId,
        Dataset = Format.Datasets.Dataset.Parse(Text),
        Text = Text,
        Source = Source,
        PaymentHash = PaymentHash,
        PricePaidMsat = PricePaidMsat,
        FeePaidMsat = FeePaidMsat,
        CachePath = CachePath,
    };
}

/// <summary>A verified whole dataset (its dataset_id recomputed), stored in the dataset cache.</summary>
public sealed record AcquiredDataset
{
    public required string DatasetId { get; init; }

    public required Dataset Dataset { get; init; }

    /// <summary>The exact text stored in the cache.</summary>
    public required string Text { get; init; }

    public required AcquireSource Source { get; init; }

    public string? PaymentHash { get; init; }

    public long PricePaidMsat { get; init; }

    public long? FeePaidMsat { get; init; }

    public string CachePath { get; init; } = string.Empty;
}
