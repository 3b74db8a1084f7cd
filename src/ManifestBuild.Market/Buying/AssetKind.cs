using System.Diagnostics.CodeAnalysis;
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

    /// <summary>
    /// The one check of text that arrives for this id: the verified value (a <see cref="VerifiedManifest"/>
    /// for a manifest, the checked text for a dataset), or null and what is wrong (neutralised seller text).
    /// </summary>
    public abstract bool TryVerify(string id, string text, [NotNullWhen(true)] out object? verified, [NotNullWhen(false)] out string? mismatch);

    /// <summary>The cached, re-verified entry (its text, path and verified value), or null (a corrupt entry is quarantined by the cache).</summary>
    public abstract (string Text, string Path, object Verified)? TryCached(string id);

    /// <summary>Stores a verified value without checking it again; returns the cache path.</summary>
    public abstract string Put(object verified);

    public abstract string IdOf(object verified);

    public abstract string TextOf(object verified);

    public static AssetKind Manifest(string home) => new ManifestKind(new ManifestCache(home));

    public static AssetKind Dataset(string home) => new DatasetKind(new DatasetCache(home));

    private sealed class ManifestKind(ManifestCache cache) : AssetKind
    {
        public override string Noun => "manifest";

        public override bool TryVerify(string id, string text, [NotNullWhen(true)] out object? verified, [NotNullWhen(false)] out string? mismatch)
        {
            var ok = ManifestAcquirer.TryVerify(id, text, out var manifest, out mismatch);
            verified = manifest;
            return ok;
        }

        public override (string Text, string Path, object Verified)? TryCached(string id) =>
            cache.Lookup(id) is { Status: CacheLookupStatus.Hit, Verified: { } hit } ? (hit.Text, cache.GetPath(id), hit) : null;

        public override string Put(object verified) => cache.Put((VerifiedManifest)verified);

        public override string IdOf(object verified) => ((VerifiedManifest)verified).CompiledId;

        public override string TextOf(object verified) => ((VerifiedManifest)verified).Text;
    }

    /// <summary>A dataset is verified as text against its dataset_id (<see cref="DatasetCache.Mismatch"/>); its id is carried beside it.</summary>
    private sealed class DatasetKind(DatasetCache cache) : AssetKind
    {
        public override string Noun => "dataset";

        public override bool TryVerify(string id, string text, [NotNullWhen(true)] out object? verified, [NotNullWhen(false)] out string? mismatch)
        {
            mismatch = DatasetCache.Mismatch(id, text);
            verified = mismatch is null ? new VerifiedDatasetText(id, text) : null;
            return mismatch is null;
        }

        public override (string Text, string Path, object Verified)? TryCached(string id) =>
            cache.TryRead(id, out _) is { } text ? (text, cache.GetPath(id), new VerifiedDatasetText(id, text)) : null;

        public override string Put(object verified) => cache.PutText(((VerifiedDatasetText)verified).Text);

        public override string IdOf(object verified) => ((VerifiedDatasetText)verified).Id;

        public override string TextOf(object verified) => ((VerifiedDatasetText)verified).Text;
    }

    private sealed record VerifiedDatasetText(string Id, string Text);
}

/// <summary>Verified content as the acquirer got it, before it is typed as a manifest or a dataset.</summary>
internal sealed record AcquiredContent
{
    public required string CompiledId { get; init; }

    public required string Text { get; init; }

    /// <summary>What <see cref="AssetKind.TryVerify"/> returned: a manifest's is its <see cref="VerifiedManifest"/>, never parsed again.</summary>
    public required object Verified { get; init; }

    public required AcquireSource Source { get; init; }

    public string? PaymentHash { get; init; }

    public long PricePaidMsat { get; init; }

    public long? FeePaidMsat { get; init; }

    public string CachePath { get; init; } = string.Empty;

    public AcquiredManifest ToManifest() => new()
    {
        Verified = (VerifiedManifest)Verified,
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
