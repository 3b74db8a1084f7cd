using System.Collections;
using ManifestBuild.Format;

namespace ManifestBuild.Runtime;

/// <summary>An enum field's value: the index of the member in the field's <see cref="SignatureField.EnumValues"/>.</summary>
public readonly record struct EnumValue(int Index);

/// <summary>
/// Field values by field name: what generated code hands the formatter and gets back from the parser.
/// A value is a <see cref="string"/>, <see cref="int"/>, <see cref="double"/>, <see cref="bool"/>,
/// an <see cref="IReadOnlyList{T}"/> of strings, or an <see cref="EnumValue"/>.
/// </summary>
public sealed class FieldValues : IEnumerable<KeyValuePair<string, object>>
{
    private readonly Dictionary<string, object> values = new(StringComparer.Ordinal);
    private readonly List<string> order = new();

    public int Count => values.Count;

    public IEnumerable<string> Names => order;

    public object this[string name] => values.TryGetValue(name, out var value)
        ? value
        : throw new DsrsException(RuntimeErrorCodes.MissingOutputField, $"no value for the field '{name}'");

    public void Add(string name, object value)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(value);
        if (!values.ContainsKey(name))
        {
            order.Add(name);
        }

        values[name] = value;
    }

    public bool Contains(string name) => values.ContainsKey(name);

    public bool TryGetValue(string name, out object value) => values.TryGetValue(name, out value!);

    public string GetString(string name) => Get<string>(name, "string");

    public int GetInt(string name) => Get<int>(name, "int");

    public double GetDouble(string name) => Get<double>(name, "float");

    public bool GetBool(string name) => Get<bool>(name, "bool");

    public IReadOnlyList<string> GetStringList(string name) => Get<IReadOnlyList<string>>(name, "string[]");

    public int GetEnumIndex(string name) => Get<EnumValue>(name, "enum").Index;

    public IEnumerator<KeyValuePair<string, object>> GetEnumerator() =>
        order.Select(name => new KeyValuePair<string, object>(name, values[name])).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private T Get<T>(string name, string typeName)
    {
        var value = this[name];
        return value is T typed
            ? typed
            : throw new DsrsException(RuntimeErrorCodes.InvalidOutputValue, $"the field '{name}' holds a {value.GetType().Name}, not a {typeName}");
    }
}
