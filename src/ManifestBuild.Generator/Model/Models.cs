namespace ManifestBuild.Generator.Model
{
    // The pipeline's values. They hold only strings, numbers and EquatableArrays: never a symbol, a
    // syntax node, a compilation or a Location, so they compare by value and keep nothing alive.

    /// <summary>One AdditionalFile that the build marked as a manifest, with its text read.</summary>
    internal sealed record ManifestFile(string Path, string ItemName, string ExpectedCompiledId, string? Text, int Length);

    /// <summary>Where to report a diagnostic: a file and a span within it (zero-based lines and columns).</summary>
    internal sealed record LocationInfo(string Path, int Start, int Length, int StartLine, int StartColumn, int EndLine, int EndColumn)
    {
        public static LocationInfo WholeFile(string path) => new LocationInfo(path, 0, 0, 0, 0, 0, 0);
    }

    /// <summary>
    /// A diagnostic to report, as values: its descriptor's id, the arguments of the descriptor's message
    /// format and where. Made into a Roslyn Diagnostic only when reported, so the pipeline holds no Location.
    /// </summary>
    internal sealed record DiagnosticInfo(string Id, EquatableArray<string> Arguments, LocationInfo Location);

    internal enum FieldType
    {
        String,
        Int,
        Float,
        Bool,
        StringList,
        Enum,
    }

    internal enum AdapterKind
    {
        Chat,
        Json,
    }

    /// <summary>A field of the signature: the original name and the C# names made from it.</summary>
    internal sealed record FieldModel(
        string Name,
        string PropertyName,
        FieldType Type,
        string? Description,
        EquatableArray<string> EnumValues,
        EquatableArray<string> EnumMembers);

    /// <summary>A demo value, already checked against its field's type.</summary>
    internal sealed record DemoValue(
        string FieldName,
        FieldType Type,
        string Text,
        long Integer,
        double Real,
        bool Flag,
        EquatableArray<string> Items,
        int EnumIndex);

    internal sealed record DemoModel(EquatableArray<DemoValue> Inputs, EquatableArray<DemoValue> Outputs);

    internal sealed record NamedText(string Name, string Value);

    /// <summary>A demo of a manifest without a schema: name/value maps, values as text.</summary>
    internal sealed record UntypedDemoModel(EquatableArray<NamedText> Inputs, EquatableArray<NamedText> Outputs);

    internal sealed record ScorecardModel(double? MedianScore, long? Rollouts, double? PFail, double? Accuracy, long? HoldoutSize, string? Metric);

    /// <summary>Everything the emitter needs to write one manifest's class.</summary>
    internal sealed record ManifestModel(
        string Namespace,
        string ClassName,
        string ItemName,
        string SignatureName,
        string CompiledId,
        string? Family,
        string? Optimizer,
        string Instruction,
        AdapterKind Adapter,
        string Json,
        ScorecardModel? Scorecard,
        EquatableArray<string> DomainTags,
        long? ExampleCount,
        long? CreatedAt,
        string? TrainsetId,
        bool HasSchema,
        EquatableArray<FieldModel> Inputs,
        EquatableArray<FieldModel> Outputs,
        EquatableArray<DemoModel> Demos,
        EquatableArray<UntypedDemoModel> UntypedDemos);

    /// <summary>The parser's answer for one file: a model, or diagnostics, or both.</summary>
    internal sealed record ManifestResult(string Path, string? ClassName, ManifestModel? Model, EquatableArray<DiagnosticInfo> Diagnostics);

    /// <summary>The namespace the generated classes go in, or why the configured one is unusable.</summary>
    internal sealed record NamespaceInfo(string Namespace, string? Error);

    /// <summary>What the registry lists of one manifest.</summary>
    internal sealed record RegistryEntry(string Namespace, string ClassName, string ItemName, string SignatureName, string CompiledId, string? Family);
}
