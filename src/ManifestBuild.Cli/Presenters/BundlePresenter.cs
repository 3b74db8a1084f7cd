using System.Globalization;
using ManifestBuild.Format.Bundles;
using ManifestBuild.Nostr.Relays;
using ManifestBuild.Seller;

namespace ManifestBuild.Cli.Presenters;

/// <summary>How `dsrs bundle create | publish` show the bundle written and the listing sent.</summary>
internal static class BundlePresenter
{
    public static async Task WriteCreatedAsync(TextWriter output, BundleDocument bundle, string path, string pricesPath)
    {
        await output.WriteLineAsync($"bundle {bundle.Name} {bundle.BundleId} ({bundle.Members.Count} manifests) -> {path}");
        await output.WriteLineAsync($"price it in {pricesPath}: \"{bundle.BundleId}\": <msat>");
    }

    public static async Task WritePublishedAsync(TextWriter output, string listingId, CatalogBundle bundle, IReadOnlyList<PublishResult> relays)
    {
        await output.WriteLineAsync($"bundle listing {listingId} ({bundle.Document.Name}, {bundle.Document.Members.Count} manifests, {bundle.PriceMsat.ToString(CultureInfo.InvariantCulture)} msat)");
        await MarketPresenter.WriteRelayAnswersAsync(output, relays);
    }
}
