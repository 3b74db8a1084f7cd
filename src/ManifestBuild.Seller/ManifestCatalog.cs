using ManifestBuild.Format;
using ManifestBuild.Format.Json;

namespace ManifestBuild.Seller;

/// <summary>One manifest on sale: its id, exact file text, price and where that price was written.</summary>
public sealed record CatalogEntry(string CompiledId, string SignatureName, string Text, long PriceMsat, string File)
{
    /// <summary>Where the price came from (prices.json entry, prices.json default, host setting), for the log.</summary>
    public string PriceSource { get; init; } = ManifestCatalog.PricesFileName;

    /// <summary>A manifest or a dataset (a dsrs.dataset/1 file in the same folder, priced by its dataset_id).</summary>
    public CatalogAssetKind Kind { get; init; } = CatalogAssetKind.Manifest;
}

/// <summary>A bundle on sale: its dsrs.bundle/1 document (every member sold here too), its own price and file.</summary>
public sealed record CatalogBundle(Format.Bundles.BundleDocument Document, long PriceMsat, string File, string PriceSource)
{
    public string BundleId => Document.BundleId;
}

/// <summary>
/// The manifests a seller sells: the folder's *.json manifests at the prices its prices.json names.
/// It is the one place a price lives: <c>dsrs serve</c> charges it and <c>dsrs publish</c> lists it,
/// so the two cannot disagree. A file that is not a valid manifest hashing to its stated compiled_id,
/// or that has no price, is skipped and reported, never served.
/// </summary>
public sealed partial class ManifestCatalog
{
    public const string PricesFileName = "prices.json";

    /// <summary>The prices.json member that prices every manifest without an entry of its own.</summary>
    public const string DefaultPriceMember = "default";

    /// <summary>Files of this suffix in the folder are dsrs.bundle/1 documents, priced by their bundle_id's own prices.json entry.</summary>
    public const string BundleFileSuffix = ".bundle.json";

    private readonly Dictionary<string, CatalogEntry> entries;
    private readonly Dictionary<string, CatalogBundle> bundles;

    private ManifestCatalog(string directory, Dictionary<string, CatalogEntry> entries, Dictionary<string, CatalogBundle> bundles, IReadOnlyList<string> problems)
    {
        Directory = directory;
        this.entries = entries;
        this.bundles = bundles;
        Problems = problems;
    }

    public IReadOnlyCollection<CatalogBundle> Bundles => bundles.Values;

    public CatalogBundle? FindBundle(string bundleId) => bundles.GetValueOrDefault(bundleId);

    /// <summary>True when a token for this bundle may download this manifest: the bundle itself, or one of its members.</summary>
    public bool BundleGrants(string bundleId, string requestedId) =>
        FindBundle(bundleId) is { } bundle && (requestedId == bundleId || bundle.Document.Members.Contains(requestedId, StringComparer.Ordinal));

    /// <summary>The bundle a bundle listing is made from; its price is the one this catalog charges (a stated price only checks it).</summary>
    public CatalogBundle ForBundleListing(string bundleId, long? statedPriceMsat)
    {
        if (FindBundle(bundleId) is not { } bundle)
        {
            var why = Problems.FirstOrDefault(p => p.Contains(bundleId, StringComparison.Ordinal));
            throw new DsrsException(SellerErrorCodes.NotInCatalog, why is not null
                ? $"the seller's catalog {Directory} does not sell bundle {bundleId}: {why}"
                : $"the seller's catalog {Directory} does not sell bundle {bundleId}: put its <name>{BundleFileSuffix} in the folder `dsrs serve --manifests` sells from, with its price in {PricesFileName}");
        }

        if (statedPriceMsat is { } stated && stated != bundle.PriceMsat)
        {
            throw new DsrsException(SellerErrorCodes.PriceDisagrees, string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"--price says {stated} msat but the seller's catalog charges {bundle.PriceMsat} msat for bundle {bundleId} ({bundle.PriceSource} in {Directory}); publish without --price"));
        }

        return bundle;
    }

    public string Directory { get; }

    public IReadOnlyList<string> Problems { get; }

    public IReadOnlyCollection<CatalogEntry> Entries => entries.Values;

    public CatalogEntry? Find(string compiledId) => entries.GetValueOrDefault(compiledId);

    /// <summary>
    /// The entry a paid listing is made from: the listing's price is the price this catalog charges,
    /// so <c>dsrs publish</c> cannot list what <c>dsrs serve</c> would charge differently. A stated price
    /// (<c>--price</c>) is only a check against it.
    /// </summary>
    public CatalogEntry ForListing(string compiledId, long? statedPriceMsat)
    {
        if (Find(compiledId) is not { } entry)
        {
            var why = Problems.FirstOrDefault(p => p.Contains(compiledId, StringComparison.Ordinal));
            throw new DsrsException(SellerErrorCodes.NotInCatalog, why is not null
                ? $"the seller's catalog {Directory} does not sell {compiledId}: {why}"
                : $"the seller's catalog {Directory} does not sell {compiledId}: put the manifest in the folder `dsrs serve --manifests` sells from (or name that folder with --catalog)");
        }

        if (statedPriceMsat is { } stated && stated != entry.PriceMsat)
        {
            throw new DsrsException(SellerErrorCodes.PriceDisagrees, string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"--price says {stated} msat but the seller's catalog charges {entry.PriceMsat} msat for {compiledId} ({entry.PriceSource} in {Directory}); buyers refuse an invoice that differs from the listing. Change the price there (dsrs serve picks it up) and publish without --price"));
        }

        return entry;
    }

    /// <summary>The catalog exactly as the folder says (what <c>dsrs serve</c> and <c>dsrs publish</c> read).</summary>
    public static ManifestCatalog Load(string directory) => Load(directory, null, new Dictionary<string, long>());

    /// <summary>
    /// The folder's catalog with an in-process host's own prices on top (tests, the demo): those hosts
    /// build their listings from the same values they pass here.
    /// </summary>
    public static ManifestCatalog Load(string directory, long? defaultPriceMsat, IReadOnlyDictionary<string, long> prices)
    {
        if (!System.IO.Directory.Exists(directory))
        {
            throw new DsrsException(SellerErrorCodes.InvalidOptions, $"the manifests folder {directory} does not exist");
        }

        var file = ReadPricesFile(directory);
        var entries = new Dictionary<string, CatalogEntry>(StringComparer.Ordinal);
        var problems = new List<string>();
        foreach (var path in System.IO.Directory.EnumerateFiles(directory, "*.json").Order(StringComparer.Ordinal))
        {
            if (Path.GetFileName(path) == PricesFileName || path.EndsWith(BundleFileSuffix, StringComparison.Ordinal) || path.EndsWith(Subscriptions.LineDocument.FileSuffix, StringComparison.Ordinal))
            {
                continue;
            }

            try
            {
                var text = Manifest.ReadText(path);
                var (id, name, kind) = CatalogAsset.Identify(text);
                var (price, source) = PriceOf(id, prices, file, defaultPriceMsat);
                if (price is not { } msat)
                {
                    throw new DsrsException(SellerErrorCodes.NoPrice, $"{PricesFileName} names no price for {id} (add \"{id}\": <msat>, or a \"{DefaultPriceMember}\")");
                }

                if (msat <= 0)
                {
                    throw new DsrsException(SellerErrorCodes.BadPrices, $"the price of {id} must be positive");
                }

                entries[id] = new CatalogEntry(id, name, text, msat, path) { PriceSource = source, Kind = kind };
            }
            catch (DsrsException e)
            {
                problems.Add($"{SellerErrorCodes.BadManifestFile}: {Path.GetFileName(path)} not sold: {e}");
            }
        }

        var bundles = LoadBundles(directory, entries, prices, file, problems);
        var lines = LoadLines(directory, entries, problems);
        return new ManifestCatalog(directory, entries, bundles, problems) { lines = lines };
    }

    /// <summary>
    /// The folder's bundles. A bundle is sold only when every member is sold here and it has a price of its
    /// own (a host price or its bundle_id's prices.json entry; the default prices single manifests only).
    /// </summary>
    private static Dictionary<string, CatalogBundle> LoadBundles(string directory, Dictionary<string, CatalogEntry> entries, IReadOnlyDictionary<string, long> host, PricesFile file, List<string> problems)
    {
        var bundles = new Dictionary<string, CatalogBundle>(StringComparer.Ordinal);
        foreach (var path in System.IO.Directory.EnumerateFiles(directory, "*" + BundleFileSuffix).Order(StringComparer.Ordinal))
        {
            try
            {
                var document = Format.Bundles.BundleDocument.Load(path);
                if (document.Members.FirstOrDefault(m => !entries.ContainsKey(m)) is { } missing)
                {
                    throw new DsrsException(SellerErrorCodes.BundleMemberNotSold, $"member {missing} of bundle {document.BundleId} is not a manifest this folder sells");
                }

                var (price, source) = host.TryGetValue(document.BundleId, out var h) ? (h, "host price")
                    : file.Prices.TryGetValue(document.BundleId, out var p) ? (p, PricesFileName)
                    : throw new DsrsException(SellerErrorCodes.BundleNoPrice, $"{PricesFileName} names no price for bundle {document.BundleId} (add \"{document.BundleId}\": <msat>; the default prices single manifests only)");
                if (price <= 0)
                {
                    throw new DsrsException(SellerErrorCodes.BadPrices, $"the price of bundle {document.BundleId} must be positive");
                }

                bundles[document.BundleId] = new CatalogBundle(document, price, path, source);
            }
            catch (DsrsException e)
            {
                problems.Add($"{SellerErrorCodes.BundleNotSold}: {Path.GetFileName(path)} not sold: {e}");
            }
        }

        return bundles;
    }

    private static (long? Price, string Source) PriceOf(string id, IReadOnlyDictionary<string, long> host, PricesFile file, long? hostDefault)
    {
        if (host.TryGetValue(id, out var price))
        {
            return (price, "host price");
        }

        if (file.Prices.TryGetValue(id, out price))
        {
            return (price, PricesFileName);
        }

        return hostDefault is { } d ? (d, "host default")
            : file.Default is { } fd ? (fd, PricesFileName + " " + DefaultPriceMember)
            : (null, string.Empty);
    }

    private sealed record PricesFile(Dictionary<string, long> Prices, long? Default);

    /// <summary>prices.json: <c>{"&lt;compiled_id&gt;": msat, ..., "default": msat}</c> (default optional).</summary>
    private static PricesFile ReadPricesFile(string directory)
    {
        var path = Path.Combine(directory, PricesFileName);
        var result = new PricesFile(new Dictionary<string, long>(StringComparer.Ordinal), null);
        if (!File.Exists(path))
        {
            return result;
        }

        try
        {
            if (JsonParser.Parse(File.ReadAllText(path)) is not JsonObject prices)
            {
                throw new DsrsException(SellerErrorCodes.BadPrices, $"{path} must be an object of compiled_id to msat");
            }

            foreach (var member in prices.Members)
            {
                var isDefault = member.Key == DefaultPriceMember;
                if ((!isDefault && !CompiledId.IsWellFormed(member.Key)) || member.Value is not JsonNumber n || !n.TryGetInt64(out var msat) || msat <= 0)
                {
                    throw new DsrsException(SellerErrorCodes.BadPrices, $"{path}: each member must be a compiled_id (or \"{DefaultPriceMember}\") with a positive whole number of msat");
                }

                if (isDefault)
                {
                    result = result with { Default = msat };
                }
                else
                {
                    result.Prices[member.Key] = msat;
                }
            }
        }
        catch (DsrsException e) when (e.Code != SellerErrorCodes.BadPrices)
        {
            throw new DsrsException(SellerErrorCodes.BadPrices, $"{path} is not valid JSON: {e.Message}");
        }
        catch (IOException e)
        {
            throw new DsrsException(SellerErrorCodes.BadPrices, $"{path} cannot be read: {e.Message}");
        }

        return result;
    }
}
