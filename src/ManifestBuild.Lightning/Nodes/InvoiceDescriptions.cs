namespace ManifestBuild.Lightning.Nodes;

/// <summary>The description a seller puts in a manifest's invoice, short enough for every node type.</summary>
public static class InvoiceDescriptions
{
    /// <summary>
    /// phoenixd refuses descriptions over 128 characters (Api.kt, maxDescriptionSize); LND, Core
    /// Lightning, LNbits and NWC wallets allow more, so 128 fits them all.
    /// </summary>
    public const int MaxLength = 128;

    private const string Prefix = "dsrs manifest ";

    /// <summary>
    /// "dsrs manifest COMPILED_ID SIGNATURE_NAME": the compiled_id (which the buyer checks) always whole,
    /// the signature name cut to what is left (49 characters) with "..." when longer.
    /// </summary>
    public static string ForManifest(string compiledId, string? signatureName) => Compose(Prefix + compiledId, signatureName);

    /// <summary>"dsrs subscription TERM LINE": the buyer's term id (what its guard checks) whole, the line cut to what is left.</summary>
    public static string ForSubscription(string termId, string line) => Compose("dsrs subscription " + termId, line);

    private static string Compose(string head, string? signatureName)
    {
        var name = (signatureName ?? string.Empty).Trim();
        var room = MaxLength - head.Length - 1;
        if (name.Length == 0 || room <= 0)
        {
            return head;
        }

        return head + " " + (name.Length <= room ? name : name[..(room - 3)] + "...");
    }
}
