using ManifestBuild.Format;
using ManifestBuild.Nostr;
using ManifestBuild.Format.Locking;

namespace ManifestBuild.Tasks.Resolution;

/// <summary>
/// Checks verified content against the lock entry it is handed over under, before the generator sees it:
/// it hashes to the entry's compiled_id (DSRS0031), declares the entry's signature_name (DSRS0051),
/// and the entry's address names that compiled_id (DSRS0052) and the entry's seller (DSRS0053).
/// A hand-edited entry that points at other content is caught here rather than as a C# error later.
/// </summary>
public static class LockCheck
{
    private const string DTagPrefix = "dsrs-manifest:";

    /// <summary>Checks verified content (see <see cref="ManifestVerifier"/>) against its entry; nothing is parsed or hashed here.</summary>
    public static void Verify(VerifiedManifest content, LockEntry locked, string what)
    {
        var id = content.CompiledId;
        var signatureName = content.SignatureName;
        if (id != locked.CompiledId)
        {
            throw new DsrsException(BuildErrorCodes.LockedContentMismatch, $"{what} hashes to {id}, not to the locked compiled_id {locked.CompiledId}");
        }

        if (signatureName != locked.SignatureName)
        {
            throw new DsrsException(BuildErrorCodes.LockedSignatureMismatch, $"{what} is manifest {ManifestResolver.Short(id)} with signature_name {signatureName}, but the lock entry says {locked.SignatureName}: the entry was edited or merged wrongly; fix it or run `dsrs update`");
        }

        if (locked.Address.Length == 0 && locked.Seller.Length == 0)
        {
            return; // a local file: no listing to agree with
        }

        var parts = locked.Address.Split(':', 3);
        if (parts.Length != 3 || parts[0] != NostrKinds.HandlerInformation.ToString(System.Globalization.CultureInfo.InvariantCulture) || parts[2] != DTagPrefix + id)
        {
            throw new DsrsException(BuildErrorCodes.LockedAddressMismatch, $"the lock entry's address '{locked.Address}' is not the listing of compiled_id {id}: the entry was edited or merged wrongly; fix it or run `dsrs update`");
        }

        if (parts[1] != locked.Seller)
        {
            throw new DsrsException(BuildErrorCodes.LockedSellerMismatch, $"the lock entry's address names seller {ManifestResolver.Short(parts[1])} but its seller is {ManifestResolver.Short(locked.Seller)}: the entry was edited or merged wrongly; fix it or run `dsrs update`");
        }
    }
}
