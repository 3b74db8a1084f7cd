using ManifestBuild.Format.Json;

namespace ManifestBuild.Format.Interop;

/// <summary>
/// Writes a manifest as a DSPy <c>Module.save()</c> JSON file that <c>module.load(path)</c> accepts:
/// one predictor state (<c>traces</c>, <c>train</c>, <c>demos</c>, <c>signature</c>, <c>lm: null</c>) and
/// <c>metadata.dependency_versions</c> holding only keys DSPy's load() compares. For a bare
/// <c>dspy.Predict</c> (predictor "self") the state is the top level, as <c>Predict.save()</c> writes it;
/// for a predictor inside a module it is keyed by its attribute path (<c>classify.predict</c>).
/// </summary>
public static class DspyExporter
{
    /// <param name="predictor">The key DSPy's load() looks the state up by (the attribute path in the user's
    /// program); default: the predictor the manifest was imported from, else "self": a bare dspy.Predict, written at the top level.</param>
    public static JsonObject Export(Manifest manifest, string? predictor = null)
    {
        var inputs = FieldNames(manifest.Inputs, manifest.Demos, d => d.Inputs);
        var outputs = FieldNames(manifest.Outputs, manifest.Demos, d => d.Outputs);
        if (inputs.Count == 0 || outputs.Count == 0)
        {
            throw new DsrsException(
                FormatErrorCodes.ExportImpossible,
                "manifest " + manifest.SignatureName + " declares no " + (inputs.Count == 0 ? "inputs" : "outputs") + " and its demos name none: DSPy needs the signature's field names");
        }

        var source = manifest.Json["source"] as JsonObject;
        predictor ??= source?.GetString("kind") == "dspy" ? source.GetString("predictor") : null;
        predictor ??= DspyImporter.BarePredictor;

        var prefixes = source?["prefixes"] as JsonObject;
        var fields = new JsonArray();
        foreach (var field in inputs.Concat(outputs))
        {
            fields.Add(new JsonObject()
                .Add("prefix", prefixes?.GetString(field.Name) ?? DspyNames.DefaultPrefix(field.Name))
                .Add("description", field.Description ?? DspyNames.DefaultDescription(field.Name)));
        }

        var instructions = manifest.Instruction ?? DefaultInstructions(inputs, outputs);
        var state = new JsonObject()
            .Add("traces", new JsonArray())
            .Add("train", new JsonArray())
            .Add("demos", Demos(manifest.Demos, inputs, outputs))
            .Add("signature", new JsonObject().Add("instructions", instructions).Add("fields", fields))
            .Add("lm", JsonNull.Instance);

        var metadata = new JsonObject().Add("dependency_versions", DependencyVersions(source));
        if (predictor == DspyImporter.BarePredictor)
        {
            return state.Add("metadata", metadata);
        }

        return new JsonObject()
            .Add(predictor, state)
            .Add("metadata", metadata);
    }

    private static List<ManifestField> FieldNames(IReadOnlyList<ManifestField>? declared, IReadOnlyList<ManifestDemo>? demos, Func<ManifestDemo, JsonObject> side)
    {
        if (declared is not null)
        {
            return declared.ToList();
        }

        // An untyped manifest: the demos are the only record of the field names.
        var names = new List<ManifestField>();
        foreach (var demo in demos ?? [])
        {
            foreach (var name in side(demo).Names)
            {
                if (names.All(f => f.Name != name))
                {
                    names.Add(new ManifestField(name, FieldTypes.String));
                }
            }
        }

        return names;
    }

    private static JsonArray Demos(IReadOnlyList<ManifestDemo>? demos, List<ManifestField> inputs, List<ManifestField> outputs)
    {
        var result = new JsonArray();
        foreach (var demo in demos ?? [])
        {
            var flat = new JsonObject();
            foreach (var member in demo.Inputs.Members.Concat(demo.Outputs.Members))
            {
                flat.Set(member.Key, member.Value.DeepClone());
            }

            // DSPy treats a demo with every field as a full ("augmented") example.
            var complete = inputs.Concat(outputs).All(f => flat.ContainsKey(f.Name));
            flat.Add("augmented", complete);
            result.Add(flat);
        }

        return result;
    }

    private static JsonObject DependencyVersions(JsonObject? source)
    {
        var versions = new JsonObject();
        if (source?["dependency_versions"] is JsonObject saved)
        {
            foreach (var member in saved.Members.Where(m => DspyImporter.KnownDependencies.Contains(m.Key) && m.Value is JsonString))
            {
                versions.Add(member.Key, member.Value);
            }
        }

        return versions;
    }

    // dspy.signatures.signature._default_instructions, for a manifest whose instruction was withheld.
    private static string DefaultInstructions(List<ManifestField> inputs, List<ManifestField> outputs) =>
        "Given the fields " + string.Join(", ", inputs.Select(f => "`" + f.Name + "`")) + ", produce the fields " + string.Join(", ", outputs.Select(f => "`" + f.Name + "`")) + ".";
}
