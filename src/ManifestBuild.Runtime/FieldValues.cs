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
    // A signature has a handful of fields: names and values side by side in declaration order, found by
    // comparing names; an index by name only for a large signature, where comparing would cost more.
    private const int IndexFrom = 16;
    private string[] names = new string[4];
    private object[] values = new object[4];
    private Dictionary<string, int>? index;

    public int Count { get; private set; }

    public IEnumerable<string> Names => names.Take(Count);

    public object this[string name] => TryGetValue(name, out var value)
        ? value
        : throw new DsrsException(RuntimeErrorCodes.MissingOutputField, $"no value for the field '{name}'");

    public void Add(string name, object value)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(value);
        var at = IndexOf(name);
        if (at >= 0)
        {
            values[at] = value;
            return;
        }

        if (Count == names.Length)
        {
            Array.Resize(ref names, Count * 2);
            Array.Resize(ref values, Count * 2);
        }

        names[Count] = name;
        values[Count] = value;
        index?.Add(name, Count);
        Count++;
        if (index is null && Count == IndexFrom)
        {
            index = new Dictionary<string, int>(StringComparer.Ordinal);
            for (var i = 0; i < Count; i++)
            {
                index.Add(names[i], i);
            }
        }
    }

    public bool Contains(string name) => IndexOf(name) >= 0;

    public bool TryGetValue(string name, out object value)
    {
        var at = IndexOf(name);
        value = at >= 0 ? values[at] : null!;
        return at >= 0;
    }

    public string GetString(string name) => Get<string>(name, "string");

    public int GetInt(string name) => Get<int>(name, "int");

    public double GetDouble(string name) => Get<double>(name, "float");

    public bool GetBool(string name) => Get<bool>(name, "bool");

    public IReadOnlyList<string> GetStringList(string name) => Get<IReadOnlyList<string>>(name, "string[]");

    public int GetEnumIndex(string name) => Get<EnumValue>(name, "enum").Index;

    public IEnumerator<KeyValuePair<string, object>> GetEnumerator()
    {
        for (var i = 0; i < Count; i++)
        {
            yield return new KeyValuePair<string, object>(names[i], values[i]);
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private int IndexOf(string name)
    {
        if (index is not null)
        {
            return index.TryGetValue(name, out var at) ? at : -1;
        }

        for (var i = 0; i < Count; i++)
        {
            if (string.Equals(names[i], name, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    private T Get<T>(string name, string typeName)
    {
        var value = this[name];
        return value is T typed
            ? typed
            : throw new DsrsException(RuntimeErrorCodes.InvalidOutputValue, $"the field '{name}' holds a {value.GetType().Name}, not a {typeName}");
    }
}
