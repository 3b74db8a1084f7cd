using System.Globalization;
using ManifestBuild.Format.Locking;

namespace ManifestBuild.Tasks.Resolution;

/// <summary>
/// Does a lock entry still satisfy its declaration? Like a NuGet version range: the locked manifest
/// must meet every constraint the item states (pin, seller, price, family, every domain, accuracy).
/// The first unmet one is returned as a sentence that names it, for the log and for DSRS0030.
/// </summary>
public static class LockConstraints
{
    /// <summary>Null when the entry satisfies the item; else which constraint it misses and how.</summary>
    public static string? Unmet(DeclaredManifest item, LockEntry locked)
    {
        if (item.CompiledId is { } pin && pin != locked.CompiledId)
        {
            return $"the lockfile has compiled_id {ManifestResolver.Short(locked.CompiledId)} but the item pins CompiledId {ManifestResolver.Short(pin)}";
        }

        if (item.SellerHex is { } seller && seller != locked.Seller)
        {
            return $"the locked manifest is sold by {(locked.Seller.Length == 0 ? "no seller" : "seller " + ManifestResolver.Short(locked.Seller))} but the item asks for Seller {ManifestResolver.Short(seller)}";
        }

        if (item.MaxPriceMsat is { } max && locked.PriceMsat > max)
        {
            return $"the locked manifest costs {locked.PriceMsat} msat but the item's MaxPriceMsat is {max}";
        }

        // An entry from before the facts were recorded cannot be judged on them here; the resolver
        // fills them in from the content first when the content is at hand.
        if (!locked.HasFacts)
        {
            return null;
        }

        if (item.Family is { } family && family != locked.Family)
        {
            return $"the locked manifest has family {locked.Family} but the item asks for Family {family}";
        }

        if (item.Domains.Any(d => !locked.Domains.Contains(d, StringComparer.Ordinal)))
        {
            return $"the locked manifest has domains [{string.Join(", ", locked.Domains)}] but the item asks for [{string.Join(", ", item.Domains)}]";
        }

        if (item.MinAccuracy is { } min && !(locked.Accuracy >= min))
        {
            var has = locked.Accuracy is { } a ? "accuracy " + a.ToString("0.###", CultureInfo.InvariantCulture) : "no stated accuracy";
            return $"the locked manifest has {has} but the item asks for MinAccuracy {min.ToString("0.###", CultureInfo.InvariantCulture)}";
        }

        return null;
    }
}
