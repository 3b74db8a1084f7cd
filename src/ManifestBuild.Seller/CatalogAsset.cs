using ManifestBuild.Format;
using ManifestBuild.Format.Datasets;
using ManifestBuild.Format.Json;

namespace ManifestBuild.Seller;

/// <summary>What a catalog file sells: a manifest (served at /manifests/) or a dataset (served at /datasets/).</summary>
public enum CatalogAssetKind
{
    Manifest,
    Dataset,
}

/// <summary>Tells a catalog file's kind from its format member and verifies its content address (compiled_id or dataset_id).</summary>
internal static class CatalogAsset
{
    /// <summary>The verified id, the name invoices carry, and the kind; a DsrsException naming what failed.</summary>
    public static (string Id, string Name, CatalogAssetKind Kind) Identify(string text)
    {
        if (Dataset.IsDataset(JsonParser.Parse(text)))
        {
            var dataset = Dataset.Parse(text);
            return (dataset.VerifyId(), "dataset " + dataset.Family, CatalogAssetKind.Dataset);
        }

        var manifest = Manifest.Parse(text);
        return (CompiledId.Verify(manifest.Json), manifest.Json.GetString("signature_name") ?? string.Empty, CatalogAssetKind.Manifest);
    }

    /// <summary>The URL prefix of a kind.</summary>
    public static string PathPrefix(CatalogAssetKind kind) => kind == CatalogAssetKind.Dataset ? "/datasets/" : "/manifests/";
}
