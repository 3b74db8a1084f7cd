using System.Text;
using System.Text.Json;

namespace ManifestBuild.Nostr;

/// <summary>
/// Reuses the string for short ASCII values a relay repeats (tag names, family and domain tags,
/// seller keys, the subscription id): a 10,000-listing answer would otherwise allocate and keep
/// the same few hundred strings tens of thousands of times, and the garbage collector's copying of
/// them costs more than parsing. A small fixed table; races only cost a miss.
/// </summary>
internal static class WireStrings
{
    /// <summary>Long enough for a hex key (64), short enough that the table stays small.</summary>
    public const int MaxLength = 64;

    private const int Slots = 2048;
    private static readonly string?[] Table = new string?[Slots];

    /// <summary>The current string token's value; shared when it is short, unescaped ASCII.</summary>
    public static string Read(ref Utf8JsonReader reader)
    {
        if (reader.ValueIsEscaped || reader.HasValueSequence || reader.ValueSpan.Length > MaxLength)
        {
            return reader.GetString()!;
        }

        var bytes = reader.ValueSpan;
        var hash = new HashCode();
        hash.AddBytes(bytes);
        var slot = hash.ToHashCode() & (Slots - 1);
        var cached = Volatile.Read(ref Table[slot]);
        if (cached is not null && Ascii.Equals(bytes, cached))
        {
            return cached;
        }

        if (!Ascii.IsValid(bytes))
        {
            return reader.GetString()!;
        }

        var value = Encoding.ASCII.GetString(bytes);
        Volatile.Write(ref Table[slot], value);
        return value;
    }
}
