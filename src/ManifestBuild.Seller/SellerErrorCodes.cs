namespace ManifestBuild.Seller;

/// <summary>The seller endpoint's stable error codes (DSRS0580-0599).</summary>
public static class SellerErrorCodes
{
    /// <summary>The options are unusable (no manifests folder, bad listen address, non-loopback http without --public).</summary>
    public const string InvalidOptions = "DSRS0580";

    /// <summary>The server cannot bind its address.</summary>
    public const string BindFailed = "DSRS0581";

    /// <summary>A file in the manifests folder is not a valid manifest with a matching compiled_id (skipped).</summary>
    public const string BadManifestFile = "DSRS0582";

    /// <summary>A prices file is malformed.</summary>
    public const string BadPrices = "DSRS0583";

    /// <summary>The seller's node could not create an invoice (the request gets 503).</summary>
    public const string InvoiceFailed = "DSRS0584";
}
