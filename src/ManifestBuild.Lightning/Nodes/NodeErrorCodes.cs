namespace ManifestBuild.Lightning.Nodes;

/// <summary>Stable codes DSRS0430-0469: node connection strings and node adapters.</summary>
public static class NodeErrorCodes
{
    /// <summary>A connection string segment is not key=value, or the string is empty.</summary>
    public const string MalformedConnectionString = "DSRS0430";

    /// <summary>The connection string names a node type ManifestBuild does not know.</summary>
    public const string UnknownNodeType = "DSRS0431";

    /// <summary>A key the node type requires is missing.</summary>
    public const string MissingKey = "DSRS0432";

    /// <summary>A key that this node type does not accept.</summary>
    public const string UnknownKey = "DSRS0433";

    /// <summary>A key's value is malformed (bad URL, bad hex, bad number...).</summary>
    public const string MalformedValue = "DSRS0434";

    /// <summary>A key is given twice, or two keys that exclude each other are both given.</summary>
    public const string ConflictingKeys = "DSRS0435";

    /// <summary>Neither DSRS_NODE nor $DSRS_HOME/config.json configures a node.</summary>
    public const string NoNodeConfigured = "DSRS0436";

    /// <summary>$DSRS_HOME/config.json is unreadable or not the expected JSON.</summary>
    public const string BadConfigFile = "DSRS0437";

    /// <summary>A file named by the connection string (macaroon, certificate) cannot be read.</summary>
    public const string UnreadableFile = "DSRS0438";

    /// <summary>Plain http to a non-loopback server without allowinsecure=true: credentials would travel in clear.</summary>
    public const string InsecureServer = "DSRS0439";

    /// <summary>The node could not be reached (connection refused, DNS, dropped before sending).</summary>
    public const string Unreachable = "DSRS0440";

    /// <summary>The node's TLS certificate was refused (pin mismatch or untrusted).</summary>
    public const string CertificateRefused = "DSRS0441";

    /// <summary>The node refused our credentials (HTTP 401/403, NWC UNAUTHORIZED/RESTRICTED).</summary>
    public const string AuthenticationRefused = "DSRS0442";

    /// <summary>A request other than a payment did not answer in time.</summary>
    public const string TimedOut = "DSRS0443";

    /// <summary>The node answered with something its documented API does not produce.</summary>
    public const string UnexpectedResponse = "DSRS0444";

    /// <summary>The node reported an error (its code and message are quoted).</summary>
    public const string NodeError = "DSRS0445";

    /// <summary>phoenixd: the fee cap is below phoenixd's documented fee (0.4% + 4 sat), which it cannot be told to stay under.</summary>
    public const string FeeCapBelowPhoenixdFee = "DSRS0446";

    /// <summary>LNbits: the fee cap is below LNbits' fee reserve, the only fee limit LNbits passes to its funding source.</summary>
    public const string FeeCapBelowLnbitsReserve = "DSRS0447";

    /// <summary>The invoice handed to an adapter cannot be read (bech32, payment hash, amount).</summary>
    public const string UnreadableInvoice = "DSRS0448";

    /// <summary>An invoice without an amount: ManifestBuild never pays those (it never passes an amount).</summary>
    public const string AmountlessInvoice = "DSRS0449";

    /// <summary>An argument to an adapter call is out of range (negative fee cap, bad hash, sub-satoshi amount for a sat API).</summary>
    public const string InvalidArgument = "DSRS0450";

    /// <summary>The node reports a network ManifestBuild does not know.</summary>
    public const string UnknownNetwork = "DSRS0451";

    /// <summary>The node does not implement a method ManifestBuild needs (NWC NOT_IMPLEMENTED, neither xpay nor pay).</summary>
    public const string MethodNotSupported = "DSRS0452";

    /// <summary>The node refused the payment before trying it (insufficient balance, quota, rate limit, already in flight).</summary>
    public const string PaymentRefused = "DSRS0453";

    /// <summary>NWC: the relay refused to accept our request event.</summary>
    public const string RelayRefused = "DSRS0454";

    /// <summary>NWC: the wallet's info event names no encryption ManifestBuild speaks (nip44_v2, nip04).</summary>
    public const string UnsupportedEncryption = "DSRS0455";
}
