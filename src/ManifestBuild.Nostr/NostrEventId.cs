using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using ManifestBuild.Format.Json;
using ManifestBuild.Format;

namespace ManifestBuild.Nostr;

/// <summary>
/// The NIP-01 event id: SHA-256 of the UTF-8 of <c>[0,pubkey,created_at,kind,tags,content]</c>
/// written exactly as JavaScript's JSON.stringify writes it, because that is what every other
/// implementation hashes.
/// </summary>
public static class NostrEventId
{
    [ThreadStatic]
    private static StringBuilder? cachedBuilder;

    /// <summary>The lowercase hex id.</summary>
    public static string Compute(string pubkey, long createdAt, int kind, IReadOnlyList<IReadOnlyList<string>> tags, string content)
    {
        Span<byte> hash = stackalloc byte[32];
        Compute(pubkey, createdAt, kind, tags, content, hash);
        return Hex.Encode(hash);
    }

    /// <summary>Writes the 32-byte id into <paramref name="destination"/>.</summary>
    public static void Compute(string pubkey, long createdAt, int kind, IReadOnlyList<IReadOnlyList<string>> tags, string content, Span<byte> destination)
    {
        var builder = cachedBuilder ?? new StringBuilder(256);
        cachedBuilder = null;
        try
        {
            builder.Clear();
            AppendSerialization(builder, pubkey, createdAt, kind, tags, content);
            HashUtf8(builder, destination);
        }
        finally
        {
            // Keep the builder for the next call on this thread unless a huge event made it huge.
            if (builder.Capacity <= 1 << 20)
            {
                cachedBuilder = builder;
            }
        }
    }

    /// <summary>The id of an event computed from its fields (not its stated id).</summary>
    public static string Compute(NostrEvent e) => Compute(e.PubKey, e.CreatedAt, e.Kind, e.Tags, e.Content);

    /// <summary>The exact serialized string that is hashed, for diagnostics and cross-checks.</summary>
    public static string Serialize(string pubkey, long createdAt, int kind, IReadOnlyList<IReadOnlyList<string>> tags, string content)
    {
        var builder = new StringBuilder(256);
        AppendSerialization(builder, pubkey, createdAt, kind, tags, content);
        return builder.ToString();
    }

    internal static void AppendSerialization(StringBuilder builder, string pubkey, long createdAt, int kind, IReadOnlyList<IReadOnlyList<string>> tags, string content)
    {
        builder.Append("[0,");
        JsStringEscaper.AppendQuoted(builder, pubkey);
        builder.Append(',').Append(createdAt.ToString(CultureInfo.InvariantCulture));
        builder.Append(',').Append(kind.ToString(CultureInfo.InvariantCulture));
        builder.Append(",[");
        for (var i = 0; i < tags.Count; i++)
        {
            if (i > 0)
            {
                builder.Append(',');
            }

            builder.Append('[');
            var tag = tags[i];
            for (var j = 0; j < tag.Count; j++)
            {
                if (j > 0)
                {
                    builder.Append(',');
                }

                JsStringEscaper.AppendQuoted(builder, tag[j]);
            }

            builder.Append(']');
        }

        builder.Append("],");
        JsStringEscaper.AppendQuoted(builder, content);
        builder.Append(']');
    }

    private static void HashUtf8(StringBuilder builder, Span<byte> destination)
    {
        // Escaping turned every lone surrogate into \uXXXX, so the text is valid UTF-16 and its
        // UTF-8 is exact. A multi-chunk builder is flattened so no pair is split between chunks.
        ReadOnlyMemory<char> text = default;
        var chunks = 0;
        foreach (var chunk in builder.GetChunks())
        {
            text = chunk;
            if (++chunks > 1)
            {
                break;
            }
        }

        if (chunks > 1)
        {
            text = builder.ToString().AsMemory();
        }

        var chars = text.Span;
        var buffer = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(chars.Length));
        try
        {
            var length = Encoding.UTF8.GetBytes(chars, buffer);
            if (SHA256.HashData(buffer.AsSpan(0, length), destination) != 32)
            {
                throw new ArgumentException("destination must hold 32 bytes", nameof(destination));
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}

/// <summary>
/// String escaping exactly as ECMAScript's JSON.stringify (ES2019 well-formed): \" \\ \b \t \n \f \r,
/// other controls below 0x20 as lowercase \u00xx, lone surrogates as lowercase \udxxx, everything
/// else (non-ASCII, '/', '&lt;', '&gt;', '&amp;', U+007F, U+2028/2029) raw. One implementation for the
/// whole product: this delegates to <see cref="JsonStringEscaper"/> (RFC 8785 uses the same rules).
/// </summary>
public static class JsStringEscaper
{
    public static void AppendQuoted(StringBuilder builder, string value) => JsonStringEscaper.EscapeTo(builder, value);

    public static string Quote(string value) => JsonStringEscaper.Escape(value);
}
