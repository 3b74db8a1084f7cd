using ManifestBuild.Format;

namespace ManifestBuild.Tasks.Resolution;

/// <summary>
/// One <c>&lt;DsrsBundle Include="RustSystems" Name="rust-systems" Seller="npub..." BundleId="..." MaxPriceMsat="..."/&gt;</c>
/// item, parsed and checked: the bundle is found by its name (and seller) or pinned by its bundle_id; each member
/// becomes a generated class named after its signature_name.
/// </summary>
public sealed record DeclaredBundle
{
    /// <summary>The item name: the key of the bundle's own lock entry.</summary>
    public required string Name { get; init; }

    /// <summary>The bundle document's name; null when only a BundleId is given.</summary>
    public string? BundleName { get; init; }

    public string? BundleId { get; init; }

    public string? SellerHex { get; init; }

    public long? MaxPriceMsat { get; init; }

    public ItemLocation Location { get; init; } = ItemLocation.None;

    /// <summary>The declaration as a manifest item, for logging at the item's location.</summary>
    internal DeclaredManifest AsLogItem => new() { Name = Name, Location = Location };

    public static DeclaredBundle Parse(string name, Func<string, string> metadata, ItemLocation location)
    {
        if (!CSharpName.IsValidClassName(name))
        {
            throw new DsrsException(BuildErrorCodes.InvalidBundleItem, $"DsrsBundle '{name}': the name must be a valid C# identifier (it names the bundle's lock entry)");
        }

        string? Text(string key) => metadata(key).Trim() is { Length: > 0 } value ? value : null;
        var id = Text("BundleId");
        if (id is not null && !CompiledId.IsWellFormed(id))
        {
            throw new DsrsException(BuildErrorCodes.InvalidBundleItem, $"DsrsBundle '{name}': BundleId '{id}' is not 64 lowercase hex digits");
        }

        var declared = new DeclaredBundle
        {
            Name = name,
            BundleName = Text("Name"),
            BundleId = id,
            SellerHex = DeclaredManifest.ParseSeller(name, Text("Seller")),
            MaxPriceMsat = DeclaredManifest.ParseMsat(name, "MaxPriceMsat", Text("MaxPriceMsat")),
            Location = location,
        };
        return declared.BundleName is null && declared.BundleId is null
            ? throw new DsrsException(BuildErrorCodes.InvalidBundleItem, $"DsrsBundle '{name}': give Name (the bundle's name on the market) or BundleId (one exact bundle)")
            : declared;
    }

    /// <summary>The class name of each member: its signature_name, or with the id's first 8 digits when two members share one.</summary>
    public static IReadOnlyList<(string ClassName, string CompiledId)> MemberNames(IEnumerable<(string CompiledId, string SignatureName)> members)
    {
        var list = members.OrderBy(m => m.CompiledId, StringComparer.Ordinal).ToList();
        var shared = list.GroupBy(m => m.SignatureName, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1).Select(g => g.Key).ToHashSet(StringComparer.OrdinalIgnoreCase);
        return list.Select(m => (shared.Contains(m.SignatureName) ? m.SignatureName + "_" + m.CompiledId[..8] : m.SignatureName, m.CompiledId)).ToList();
    }
}
