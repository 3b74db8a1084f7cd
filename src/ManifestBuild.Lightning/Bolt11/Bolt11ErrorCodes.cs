namespace ManifestBuild.Lightning.Bolt11;

/// <summary>Refusal codes of the BOLT #11 reader and writer (DSRS0400-0429).</summary>
public static class Bolt11ErrorCodes
{
    /// <summary>Not bech32: no separator, a character outside the charset, mixed case, or empty parts.</summary>
    public const string MalformedBech32 = "DSRS0400";

    /// <summary>The bech32 checksum does not match.</summary>
    public const string BadChecksum = "DSRS0401";

    /// <summary>The human-readable part does not start with a known `ln` currency prefix.</summary>
    public const string UnknownPrefix = "DSRS0402";

    /// <summary>The amount is not a positive decimal integer followed by an optional m/u/n/p multiplier.</summary>
    public const string InvalidAmount = "DSRS0403";

    /// <summary>A `p` amount whose last digit is not 0 (sub-millisatoshi precision).</summary>
    public const string SubMillisatoshi = "DSRS0404";

    /// <summary>The data part is too short to hold a timestamp and a signature, or a field overruns it.</summary>
    public const string TooShort = "DSRS0405";

    /// <summary>The signature cannot be recovered to a public key.</summary>
    public const string SignatureNotRecoverable = "DSRS0406";

    /// <summary>The signature does not verify against the `n` field's key.</summary>
    public const string SignatureInvalid = "DSRS0407";

    /// <summary>The signature's S is in the upper half of the curve order while an `n` field is given.</summary>
    public const string HighS = "DSRS0408";

    /// <summary>No `p` (payment hash) field.</summary>
    public const string MissingPaymentHash = "DSRS0409";

    /// <summary>No `s` (payment secret) field: the current reader rules make it mandatory.</summary>
    public const string MissingPaymentSecret = "DSRS0410";

    /// <summary>A `p`, `h`, `s` or `n` field with the wrong data length (see Bolt11Decoder for the rule applied).</summary>
    public const string WrongFieldLength = "DSRS0411";

    /// <summary>A field that must appear at most once appears twice.</summary>
    public const string DuplicateField = "DSRS0412";

    /// <summary>Neither or both of `d` and `h`.</summary>
    public const string DescriptionRule = "DSRS0413";

    /// <summary>The `d` field is not valid UTF-8.</summary>
    public const string DescriptionNotUtf8 = "DSRS0414";

    /// <summary>The `9` field sets an unknown even (required) feature bit.</summary>
    public const string UnknownRequiredFeature = "DSRS0415";

    /// <summary>The `9` field misses a dependency of a feature it sets.</summary>
    public const string MissingFeatureDependency = "DSRS0416";

    /// <summary>An `r` field that is not a whole number of 51-byte hops, or an `n`/hop key that is not a curve point.</summary>
    public const string MalformedField = "DSRS0417";

    /// <summary>The signature's recovery id is not 0-3.</summary>
    public const string BadRecoveryId = "DSRS0418";

    /// <summary>An `x` or `c` value too large to represent.</summary>
    public const string NumberTooLarge = "DSRS0419";

    /// <summary>The writer was given fields it cannot encode (bad hash length, bad key, empty description...).</summary>
    public const string InvalidEncoderInput = "DSRS0420";

    /// <summary>A description hash `h` that does not match the description it is checked against.</summary>
    public const string DescriptionHashMismatch = "DSRS0421";
}
