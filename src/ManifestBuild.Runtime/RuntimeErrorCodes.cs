namespace ManifestBuild.Runtime;

/// <summary>The runtime's refusal codes (DSRS1100-1199): prompting and reply parsing.</summary>
public static class RuntimeErrorCodes
{
    /// <summary>The model's reply lacks an output field the signature requires.</summary>
    public const string MissingOutputField = "DSRS1100";

    /// <summary>An output field's value does not parse as the field's type (int, float, bool, string[]).</summary>
    public const string InvalidOutputValue = "DSRS1101";

    /// <summary>An enum output field's value is none of the field's allowed values.</summary>
    public const string UnknownEnumValue = "DSRS1102";

    /// <summary>A json-adapter reply holds no JSON object.</summary>
    public const string ReplyNotJsonObject = "DSRS1103";

    /// <summary>The model returned an empty reply.</summary>
    public const string EmptyReply = "DSRS1104";

    /// <summary>A value handed to the formatter is missing or of the wrong type for its field.</summary>
    public const string InvalidInputValue = "DSRS1105";

    /// <summary>A signature is unusable: no output fields, duplicate or empty field names, enum without values.</summary>
    public const string InvalidSignature = "DSRS1106";
}
