namespace ManifestBuild.Seller;

/// <summary>The seller endpoint's stable error codes (DSRS0580-0599).</summary>
public static class SellerErrorCodes
{
    /// <summary>The options are unusable (no manifests folder, bad listen address, a non-loopback address without --public).</summary>
    public const string InvalidOptions = "DSRS0580";

    /// <summary>The server cannot bind its address.</summary>
    public const string BindFailed = "DSRS0581";

    /// <summary>A file in the manifests folder is not a valid manifest with a matching compiled_id and a price (not sold).</summary>
    public const string BadManifestFile = "DSRS0582";

    /// <summary>A prices file is malformed.</summary>
    public const string BadPrices = "DSRS0583";

    /// <summary>The seller's node could not create an invoice (the request gets 503).</summary>
    public const string InvoiceFailed = "DSRS0584";

    /// <summary>dsrs publish --price differs from the price the seller's catalog (prices.json) charges.</summary>
    public const string PriceDisagrees = "DSRS0585";

    /// <summary>dsrs publish of a paid listing for a manifest the seller's catalog does not sell.</summary>
    public const string NotInCatalog = "DSRS0586";

    /// <summary>The catalog names no price for a manifest (neither its own entry nor a default): it is not sold.</summary>
    public const string NoPrice = "DSRS0587";

    /// <summary>Warning: the served folder holds no manifest that can be sold.</summary>
    public const string ServingNothing = "DSRS0588";

    /// <summary>One client address exceeded its connection budget; its extra connections are closed.</summary>
    public const string ConnectionBudgetExceeded = "DSRS0589";

    /// <summary>Re-reading the served folder failed (e.g. a malformed prices.json); the previous catalog stays on sale.</summary>
    public const string CatalogReloadFailed = "DSRS0590";

    /// <summary>A bundle file in the served folder is not sold (not a valid dsrs.bundle/1 document, a member not sold, no price).</summary>
    public const string BundleNotSold = "DSRS0591";

    /// <summary>A bundle's member is not a manifest the served folder sells.</summary>
    public const string BundleMemberNotSold = "DSRS0592";

    /// <summary>A bundle has no price of its own (host price or its bundle_id's prices.json entry).</summary>
    public const string BundleNoPrice = "DSRS0593";

    /// <summary>A line file (&lt;line&gt;.line.json) in the served folder is not a valid dsrs.line/1 document: its subscription is not sold.</summary>
    public const string BadLineFile = "DSRS0594";

    /// <summary>A line's version is not a manifest the served folder sells: the line is sold without it.</summary>
    public const string LineVersionNotSold = "DSRS0595";

    /// <summary>dsrs subscription publish for a line the seller's catalog does not sell (no line file in the folder).</summary>
    public const string LineNotInCatalog = "DSRS0596";

    /// <summary>Warning: a sale event could not be written to the sales journal (the delivery still happens).</summary>
    public const string SaleNotRecorded = "DSRS0598";
}
