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

    /// <summary>A manifest handed over at run time is not the one expected: its compiled_id is another (or the expected id is malformed); or an embedded dataset is not the one its generated class was made from.</summary>
    public const string ManifestNotExpected = "DSRS1107";

    /// <summary>A DynamicSignature call lacks a value (or has null) for an input field the manifest declares.</summary>
    public const string MissingInput = "DSRS1108";

    /// <summary>A DynamicSignature input's value is not of the field's type (or not one of an enum field's values).</summary>
    public const string MistypedInput = "DSRS1109";

    /// <summary>A DynamicSignature call names an input the manifest does not declare (a typo, or an output's name).</summary>
    public const string UnknownInput = "DSRS1110";

    /// <summary>A manifest without a field schema was given no input and output field names to use.</summary>
    public const string UntypedFieldsUnnamed = "DSRS1111";

    /// <summary>A manifest offered to a generated class at run time has another field schema (a field renamed, retyped, added, removed, or no schema).</summary>
    public const string IncompatibleSchema = "DSRS1112";

    /// <summary>A manifest offered to a generated class at run time is of another signature (signature_name differs).</summary>
    public const string OtherSignature = "DSRS1113";
}
