using System.Text.Json;
using ManifestBuild.Format;

namespace ManifestBuild.Nostr;

public static partial class NostrJson
{
    private const int SeenId = 1, SeenPubKey = 2, SeenCreatedAt = 4, SeenKind = 8, SeenTags = 16, SeenContent = 32, SeenSig = 64, SeenAll = 127;

    private static NostrEvent ReadEventAt(ref Utf8JsonReader reader)
    {
        Next(ref reader);
        return ReadEvent(ref reader);
    }

    private static NostrEvent ReadEvent(ref Utf8JsonReader reader)
    {
        Expect(ref reader, JsonTokenType.StartObject, "an event must be a JSON object");
        string? id = null, pubkey = null, content = null, sig = null;
        long createdAt = 0;
        var kind = 0;
        IReadOnlyList<IReadOnlyList<string>>? tags = null;
        var seen = 0;
        while (true)
        {
            Next(ref reader);
            if (reader.TokenType == JsonTokenType.EndObject)
            {
                break;
            }

            var bit = 0;
            if (reader.ValueTextEquals("id"u8))
            {
                bit = SeenId;
                id = ReadHex(ref reader, "id", 32);
            }
            else if (reader.ValueTextEquals("pubkey"u8))
            {
                bit = SeenPubKey;
                pubkey = ReadHex(ref reader, "pubkey", 32, shared: true);
            }
            else if (reader.ValueTextEquals("created_at"u8))
            {
                bit = SeenCreatedAt;
                createdAt = ReadInteger(ref reader, "created_at", 0, MaxSafeInteger);
            }
            else if (reader.ValueTextEquals("kind"u8))
            {
                bit = SeenKind;
                kind = (int)ReadInteger(ref reader, "kind", 0, 65535);
            }
            else if (reader.ValueTextEquals("tags"u8))
            {
                bit = SeenTags;
                tags = ReadTags(ref reader);
            }
            else if (reader.ValueTextEquals("content"u8))
            {
                bit = SeenContent;
                content = ReadString(ref reader, "content");
            }
            else if (reader.ValueTextEquals("sig"u8))
            {
                bit = SeenSig;
                sig = ReadHex(ref reader, "sig", 64);
            }
            else
            {
                // Unknown members are ignored (they are not part of the id), but must be valid JSON.
                Next(ref reader);
                reader.Skip();
            }

            if (bit != 0)
            {
                if ((seen & bit) != 0)
                {
                    throw new ShapeException("event has a duplicate member");
                }

                seen |= bit;
            }
        }

        if (seen != SeenAll)
        {
            throw new ShapeException("event lacks a member: " + MissingEventMembers(seen));
        }

        return new NostrEvent(id!, pubkey!, createdAt, kind, tags!, content!, sig!);
    }

    private static string MissingEventMembers(int seen)
    {
        var names = new[] { "id", "pubkey", "created_at", "kind", "tags", "content", "sig" };
        return string.Join(", ", names.Where((_, i) => (seen & (1 << i)) == 0));
    }

    // Parsing is synchronous, so one pair of scratch lists per thread serves every event: only the
    // exact-size arrays the event keeps are allocated.
    [ThreadStatic]
    private static List<IReadOnlyList<string>>? tagsScratch;

    [ThreadStatic]
    private static List<string>? tagScratch;

    private static IReadOnlyList<IReadOnlyList<string>> ReadTags(ref Utf8JsonReader reader)
    {
        Next(ref reader);
        Expect(ref reader, JsonTokenType.StartArray, "tags must be an array");
        var tags = tagsScratch ??= [];
        var tag = tagScratch ??= [];
        tags.Clear();
        try
        {
            while (true)
            {
                Next(ref reader);
                if (reader.TokenType == JsonTokenType.EndArray)
                {
                    return tags.ToArray();
                }

                Expect(ref reader, JsonTokenType.StartArray, "each tag must be an array of strings");
                tag.Clear();
                while (true)
                {
                    Next(ref reader);
                    if (reader.TokenType == JsonTokenType.EndArray)
                    {
                        break;
                    }

                    Expect(ref reader, JsonTokenType.String, "tag elements must be strings");
                    tag.Add(WireStrings.Read(ref reader));
                }

                tags.Add(tag.ToArray());
            }
        }
        finally
        {
            // Do not keep a hostile event's strings alive, nor a huge list.
            tags.Clear();
            tag.Clear();
            if (tags.Capacity > 1024)
            {
                tagsScratch = null;
            }

            if (tag.Capacity > 1024)
            {
                tagScratch = null;
            }
        }
    }

    private static NostrFilter ReadFilter(ref Utf8JsonReader reader)
    {
        Expect(ref reader, JsonTokenType.StartObject, "a filter must be a JSON object");
        var filter = new NostrFilter();
        Dictionary<string, IReadOnlyList<string>>? tags = null;
        var names = new HashSet<string>(StringComparer.Ordinal);
        while (true)
        {
            Next(ref reader);
            if (reader.TokenType == JsonTokenType.EndObject)
            {
                break;
            }

            var name = reader.GetString()!;
            if (!names.Add(name))
            {
                throw new ShapeException("filter has a duplicate member " + Truncate(name));
            }

            switch (name)
            {
                case "ids":
                    filter = filter with { Ids = ReadHexList(ref reader, "ids") };
                    break;
                case "authors":
                    filter = filter with { Authors = ReadHexList(ref reader, "authors") };
                    break;
                case "kinds":
                    filter = filter with { Kinds = ReadKinds(ref reader) };
                    break;
                case "since":
                    filter = filter with { Since = ReadInteger(ref reader, "since", 0, MaxSafeInteger) };
                    break;
                case "until":
                    filter = filter with { Until = ReadInteger(ref reader, "until", 0, MaxSafeInteger) };
                    break;
                case "limit":
                    filter = filter with { Limit = (int)ReadInteger(ref reader, "limit", 0, int.MaxValue) };
                    break;
                default:
                    if (name.Length >= 2 && name[0] == '#')
                    {
                        (tags ??= new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal))[name[1..]] = ReadStringList(ref reader, name);
                    }
                    else
                    {
                        // Extensions (e.g. NIP-50 "search") are not understood here; ignore them as relays do.
                        Next(ref reader);
                        reader.Skip();
                    }

                    break;
            }
        }

        return tags is null ? filter : filter with { Tags = tags };
    }

    private static RelayOkMessage ReadOk(ref Utf8JsonReader reader)
    {
        var id = ReadHex(ref reader, "OK event id", 32);
        Next(ref reader);
        var accepted = reader.TokenType switch
        {
            JsonTokenType.True => true,
            JsonTokenType.False => false,
            _ => throw new ShapeException("OK's third element must be true or false"),
        };
        return new RelayOkMessage(id, accepted, ReadString(ref reader, "OK message"));
    }

    private static RelayCountMessage ReadCountResult(ref Utf8JsonReader reader)
    {
        var sub = ReadString(ref reader, "subscription id");
        Next(ref reader);
        Expect(ref reader, JsonTokenType.StartObject, "COUNT result must be an object");
        long? count = null;
        bool? approximate = null;
        while (true)
        {
            Next(ref reader);
            if (reader.TokenType == JsonTokenType.EndObject)
            {
                break;
            }

            if (reader.ValueTextEquals("count"u8))
            {
                count = ReadInteger(ref reader, "count", 0, long.MaxValue);
            }
            else if (reader.ValueTextEquals("approximate"u8))
            {
                Next(ref reader);
                approximate = reader.TokenType switch
                {
                    JsonTokenType.True => true,
                    JsonTokenType.False => false,
                    _ => throw new ShapeException("approximate must be true or false"),
                };
            }
            else
            {
                Next(ref reader);
                reader.Skip();
            }
        }

        return new RelayCountMessage(sub, count ?? throw new ShapeException("COUNT result lacks count"), approximate);
    }

    private static IReadOnlyList<string> ReadHexList(ref Utf8JsonReader reader, string what)
    {
        var list = ReadStringList(ref reader, what);
        foreach (var item in list)
        {
            if (!Hex.IsLowerHex(item, 32))
            {
                throw new ShapeException($"{what} entries must be 64 lowercase hex characters");
            }
        }

        return list;
    }

    private static IReadOnlyList<string> ReadStringList(ref Utf8JsonReader reader, string what)
    {
        Next(ref reader);
        Expect(ref reader, JsonTokenType.StartArray, what + " must be an array of strings");
        var list = new List<string>();
        while (true)
        {
            Next(ref reader);
            if (reader.TokenType == JsonTokenType.EndArray)
            {
                return list.ToArray();
            }

            Expect(ref reader, JsonTokenType.String, what + " must be an array of strings");
            list.Add(reader.GetString()!);
        }
    }

    private static IReadOnlyList<int> ReadKinds(ref Utf8JsonReader reader)
    {
        Next(ref reader);
        Expect(ref reader, JsonTokenType.StartArray, "kinds must be an array of integers");
        var list = new List<int>();
        while (true)
        {
            Next(ref reader);
            if (reader.TokenType == JsonTokenType.EndArray)
            {
                return list.ToArray();
            }

            list.Add((int)CurrentInteger(ref reader, "kinds", 0, 65535));
        }
    }

    private static string ReadSubscriptionId(ref Utf8JsonReader reader)
    {
        var sub = ReadString(ref reader, "subscription id");
        if (sub.Length == 0 || sub.Length > MaxSubscriptionIdLength)
        {
            throw new ShapeException($"subscription id must be 1 to {MaxSubscriptionIdLength} characters");
        }

        return sub;
    }

    private static string ReadHex(ref Utf8JsonReader reader, string what, int bytes, bool shared = false)
    {
        var value = shared ? ReadSharedString(ref reader, what) : ReadString(ref reader, what);
        if (!Hex.IsLowerHex(value, bytes))
        {
            throw new ShapeException($"{what} must be {bytes * 2} lowercase hex characters");
        }

        return value;
    }

    private static string ReadString(ref Utf8JsonReader reader, string what)
    {
        Next(ref reader);
        Expect(ref reader, JsonTokenType.String, what + " must be a string");
        return reader.GetString()!;
    }

    /// <summary>A string that relays repeat (a key, a subscription id): see <see cref="WireStrings"/>.</summary>
    private static string ReadSharedString(ref Utf8JsonReader reader, string what)
    {
        Next(ref reader);
        Expect(ref reader, JsonTokenType.String, what + " must be a string");
        return WireStrings.Read(ref reader);
    }

    private static long ReadInteger(ref Utf8JsonReader reader, string what, long min, long max)
    {
        Next(ref reader);
        return CurrentInteger(ref reader, what, min, max);
    }

    private static long CurrentInteger(ref Utf8JsonReader reader, string what, long min, long max)
    {
        Expect(ref reader, JsonTokenType.Number, what + " must be an integer");
        if (!reader.TryGetInt64(out var value) || value < min || value > max)
        {
            throw new ShapeException($"{what} must be an integer from {min} to {max}");
        }

        return value;
    }

    private static void Next(ref Utf8JsonReader reader)
    {
        if (!reader.Read())
        {
            throw new ShapeException("the JSON ends early");
        }
    }

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType type, string message)
    {
        if (reader.TokenType != type)
        {
            throw new ShapeException(message);
        }
    }

    private static void EnsureEnd(ref Utf8JsonReader reader)
    {
        if (reader.Read())
        {
            throw new ShapeException("unexpected data after the JSON value");
        }
    }
}
