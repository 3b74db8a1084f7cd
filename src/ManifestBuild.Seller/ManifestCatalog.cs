using ManifestBuild.Format;
using ManifestBuild.Format.Json;

namespace ManifestBuild.Seller;

/// <summary>One manifest on sale: its id, exact file text and price.</summary>
public sealed record CatalogEntry(string CompiledId, string SignatureName, string Text, long PriceMsat, string File);

/// <summary>
/// The manifests a seller serves, read once at start from a folder. A file that is not a valid
/// manifest hashing to its stated compiled_id is skipped and reported, never served.
/// </summary>
public sealed class ManifestCatalog
{
    public const string PricesFileName = "prices.json";
    private readonly Dictionary<string, CatalogEntry> entries;

    private ManifestCatalog(Dictionary<string, CatalogEntry> entries, IReadOnlyList<string> problems)
    {
        this.entries = entries;
        Problems = problems;
    }

    public IReadOnlyList<string> Problems { get; }

    public IReadOnlyCollection<CatalogEntry> Entries => entries.Values;

    public CatalogEntry? Find(string compiledId) => entries.GetValueOrDefault(compiledId);

    public static ManifestCatalog Load(string directory, long defaultPriceMsat, IReadOnlyDictionary<string, long> prices)
    {
        if (!Directory.Exists(directory))
        {
            throw new DsrsException(SellerErrorCodes.InvalidOptions, $"the manifests folder {directory} does not exist");
        }

        var allPrices = new Dictionary<string, long>(ReadPricesFile(directory), StringComparer.Ordinal);
        foreach (var (id, price) in prices)
        {
            allPrices[id] = price;
        }

        var entries = new Dictionary<string, CatalogEntry>(StringComparer.Ordinal);
        var problems = new List<string>();
        foreach (var file in Directory.EnumerateFiles(directory, "*.json").Order(StringComparer.Ordinal))
        {
            if (Path.GetFileName(file) == PricesFileName)
            {
                continue;
            }

            try
            {
                var text = Manifest.ReadText(file);
                var manifest = Manifest.Parse(text);
                var id = CompiledId.Verify(manifest.Json);
                var price = allPrices.GetValueOrDefault(id, defaultPriceMsat);
                if (price <= 0)
                {
                    throw new DsrsException(SellerErrorCodes.BadPrices, $"the price of {id} must be positive");
                }

                entries[id] = new CatalogEntry(id, manifest.Json.GetString("signature_name") ?? string.Empty, text, price, file);
            }
            catch (DsrsException e)
            {
                problems.Add($"{SellerErrorCodes.BadManifestFile}: {Path.GetFileName(file)} skipped: {e}");
            }
        }

        return new ManifestCatalog(entries, problems);
    }

    /// <summary>prices.json: <c>{"&lt;compiled_id&gt;": msat, ...}</c>.</summary>
    private static Dictionary<string, long> ReadPricesFile(string directory)
    {
        var path = Path.Combine(directory, PricesFileName);
        var result = new Dictionary<string, long>(StringComparer.Ordinal);
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
                if (!CompiledId.IsWellFormed(member.Key) || member.Value is not JsonNumber n || !n.TryGetInt64(out var msat) || msat <= 0)
                {
                    throw new DsrsException(SellerErrorCodes.BadPrices, $"{path}: each member must be a compiled_id with a positive whole number of msat");
                }

                result[member.Key] = msat;
            }
        }
        catch (DsrsException e) when (e.Code != SellerErrorCodes.BadPrices)
        {
            throw new DsrsException(SellerErrorCodes.BadPrices, $"{path} is not valid JSON: {e.Message}");
        }

        return result;
    }
}
