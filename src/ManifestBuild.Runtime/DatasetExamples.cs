using System.Globalization;
using System.Reflection;
using System.Text.Json;
using ManifestBuild.Format;

namespace ManifestBuild.Runtime;

/// <summary>
/// Reads a dataset's examples from the resource the build embeds (<c>Dsrs.Datasets.&lt;Name&gt;.json</c>)
/// for the generated <c>Datasets.&lt;Name&gt;.Examples</c>: one pass over a <see cref="JsonDocument"/>,
/// no reflection, each value read as its field's type by generated code. The resource must state the
/// dataset_id the code was generated from; anything else is DSRS1107.
/// </summary>
public static class DatasetExamples
{
    public static IReadOnlyList<T> Load<T>(Assembly assembly, string resourceName, string datasetId, Func<DatasetExample, T> read)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        ArgumentNullException.ThrowIfNull(read);
        using var stream = assembly.GetManifestResourceStream(resourceName)
            ?? throw NotExpected(resourceName, "the assembly " + assembly.GetName().Name + " embeds no such resource");
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(stream, new JsonDocumentOptions { MaxDepth = 256 });
        }
        catch (JsonException e)
        {
            throw NotExpected(resourceName, "it is not valid JSON (" + e.Message + ")");
        }

        using (document)
        {
            var root = document.RootElement;
            var stated = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("dataset_id", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString() : null;
            if (!string.Equals(stated, datasetId, StringComparison.Ordinal))
            {
                throw NotExpected(resourceName, "it states dataset_id " + (stated ?? "(none)") + ", not " + datasetId);
            }

            if (!root.TryGetProperty("examples", out var examples) || examples.ValueKind != JsonValueKind.Array)
            {
                return [];
            }

            var result = new T[examples.GetArrayLength()];
            var index = 0;
            foreach (var example in examples.EnumerateArray())
            {
                result[index] = read(new DatasetExample(resourceName, index, Side(example, "inputs"), Side(example, "outputs")));
                index++;
            }

            return result;
        }
    }

    internal static DsrsException NotExpected(string resourceName, string problem) =>
        new(RuntimeErrorCodes.ManifestNotExpected, "the embedded dataset '" + resourceName + "' is not the dataset this code was generated from: " + problem);

    private static JsonElement Side(JsonElement example, string name) =>
        example.ValueKind == JsonValueKind.Object && example.TryGetProperty(name, out var side) ? side : default;
}

/// <summary>One example while it is read: its inputs and outputs.</summary>
public readonly struct DatasetExample
{
    internal DatasetExample(string resourceName, int index, JsonElement inputs, JsonElement outputs)
    {
        Inputs = new DatasetValues(resourceName, "examples[" + index.ToString(CultureInfo.InvariantCulture) + "].inputs", inputs);
        Outputs = new DatasetValues(resourceName, "examples[" + index.ToString(CultureInfo.InvariantCulture) + "].outputs", outputs);
    }

    public DatasetValues Inputs { get; }

    public DatasetValues Outputs { get; }
}

/// <summary>One side of an example: each value read as its field's type (the generator checked them all at build time).</summary>
public readonly struct DatasetValues
{
    private readonly string resourceName;
    private readonly string path;
    private readonly JsonElement values;

    internal DatasetValues(string resourceName, string path, JsonElement values)
    {
        this.resourceName = resourceName;
        this.path = path;
        this.values = values;
    }

    public string GetString(string name)
    {
        var value = Get(name);
        return value.ValueKind == JsonValueKind.String ? value.GetString()! : throw Mistyped(name, "a string");
    }

    public int GetInt(string name)
    {
        var value = Get(name);
        return value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number) ? number : throw Mistyped(name, "an int");
    }

    public double GetDouble(string name)
    {
        var value = Get(name);
        return value.ValueKind == JsonValueKind.Number ? value.GetDouble() : throw Mistyped(name, "a number");
    }

    public bool GetBool(string name)
    {
        var value = Get(name);
        return value.ValueKind is JsonValueKind.True or JsonValueKind.False ? value.GetBoolean() : throw Mistyped(name, "true or false");
    }

    public IReadOnlyList<string> GetStringList(string name)
    {
        var value = Get(name);
        if (value.ValueKind != JsonValueKind.Array)
        {
            throw Mistyped(name, "a list of strings");
        }

        var items = new string[value.GetArrayLength()];
        var i = 0;
        foreach (var item in value.EnumerateArray())
        {
            items[i++] = item.ValueKind == JsonValueKind.String ? item.GetString()! : throw Mistyped(name, "a list of strings");
        }

        return items;
    }

    /// <summary>The index of the value among the enum field's values (the generated enum's member of that number).</summary>
    public int GetEnumIndex(string name, IReadOnlyList<string> allowed)
    {
        ArgumentNullException.ThrowIfNull(allowed);
        var value = Get(name);
        if (value.ValueKind == JsonValueKind.String)
        {
            var text = value.GetString();
            for (var i = 0; i < allowed.Count; i++)
            {
                if (string.Equals(allowed[i], text, StringComparison.Ordinal))
                {
                    return i;
                }
            }
        }

        throw Mistyped(name, "one of the enum's values");
    }

    private JsonElement Get(string name) =>
        values.ValueKind == JsonValueKind.Object && values.TryGetProperty(name, out var value)
            ? value
            : throw DatasetExamples.NotExpected(resourceName, path + " lacks the field '" + name + "'");

    private DsrsException Mistyped(string name, string expected) =>
        DatasetExamples.NotExpected(resourceName, path + "." + name + " is not " + expected);
}
