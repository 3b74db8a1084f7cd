using ManifestBuild.Format.Json;

namespace ManifestBuild.Format.Datasets;

/// <summary>A dataset's examples in the shapes other tools read.</summary>
public static class DatasetExporter
{
    /// <summary>
    /// DSPy's shape: a JSON list of flat example dicts, which Python loads with
    /// <c>[dspy.Example(**d).with_inputs(*inputs) for d in json.load(f)]</c>; the input names are the
    /// dataset's <c>inputs</c> (returned, for the caller to print).
    /// </summary>
    public static (string Json, IReadOnlyList<string> InputNames) ToDspy(Dataset dataset)
    {
        var list = new JsonArray();
        foreach (var example in dataset.Examples)
        {
            var flat = new JsonObject();
            foreach (var side in new[] { "inputs", "outputs" })
            {
                foreach (var member in (example[side] as JsonObject)?.Members ?? [])
                {
                    flat.Add(member.Key, member.Value.DeepClone());
                }
            }

            list.Add(flat);
        }

        return (JsonWriter.WriteFile(list), [.. dataset.Inputs.Select(f => f.Name)]);
    }

    /// <summary>JSON lines of <c>{"inputs":{...},"outputs":{...}}</c>: what <c>dsrs evaluate</c> reads.</summary>
    public static string ToJsonLines(Dataset dataset) => string.Concat(dataset.Examples.Select(e =>
        JsonWriter.Write(new JsonObject().Add("inputs", e["inputs"]!.DeepClone()).Add("outputs", e["outputs"]!.DeepClone()), false) + "\n"));
}
