namespace ManifestBuild.Generator.Model
{
    // The dataset pipeline's values: like the manifests', only strings, numbers and EquatableArrays.
    // The examples themselves never enter the model (they are read from the embedded resource at run
    // time), so a large dataset costs its text once per change, not an equality walk over its rows.

    /// <summary>One AdditionalFile that the build marked as a dataset (DsrsDatasetName), with its text read.</summary>
    internal sealed record DatasetFile(string Path, string ItemName, string? Text, int Length);

    /// <summary>A schema field of a dataset and the side of the example it is read from.</summary>
    internal sealed record DatasetField(bool IsOutput, FieldModel Field);

    /// <summary>Everything the emitter needs for one dataset's class; <see cref="Fields"/> is empty when the schema allows no typing.</summary>
    internal sealed record DatasetModel(
        string Namespace,
        string ClassName,
        string ItemName,
        string DatasetId,
        string? Family,
        long ExampleCount,
        long? CreatedAt,
        bool Typed,
        EquatableArray<DatasetField> Fields);

    /// <summary>The parser's answer for one dataset file: a model, diagnostics, or both (warnings keep the model).</summary>
    internal sealed record DatasetResult(string Path, DatasetModel? Model, EquatableArray<DiagnosticInfo> Diagnostics);
}
