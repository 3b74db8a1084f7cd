using System.Globalization;
using System.Text;
using ManifestBuild.Format.Json;
using ManifestBuild.TestSupport;

namespace ManifestBuild.Format.Tests;

/// <summary>Properties of RFC 8785 over many random documents (seeded, so failures reproduce).</summary>
public class JsonCanonicalizerPropertyTests
{
    private const int Documents = 400;

    [Fact]
    public void CanonicalizeIsIdempotent()
    {
        foreach (var doc in RandomDocuments(1))
        {
            var once = JsonCanonicalizer.Canonicalize(doc);
            Assert.Equal(once, JsonCanonicalizer.Canonicalize(JsonParser.Parse(once)));
        }
    }

    [Fact]
    public void ParsingTheCanonicalFormGivesAnEqualValue()
    {
        foreach (var doc in RandomDocuments(2))
        {
            Assert.True(JsonValue.DeepEquals(doc, JsonParser.Parse(JsonCanonicalizer.Canonicalize(doc))), doc.ToString());
        }
    }

    [Fact]
    public void KeyOrderAndWhitespaceNeverChangeTheOutput()
    {
        var random = new Random(3);
        foreach (var doc in RandomDocuments(3))
        {
            var expected = JsonCanonicalizer.Canonicalize(doc);
            var shuffled = Shuffle(doc, random);
            Assert.True(JsonValue.DeepEquals(doc, shuffled));
            Assert.Equal(expected, JsonCanonicalizer.Canonicalize(shuffled));
            Assert.Equal(expected, JsonCanonicalizer.Canonicalize(JsonParser.Parse(JsonWriter.Write(shuffled, true))));
            Assert.Equal(expected, JsonCanonicalizer.Canonicalize(JsonParser.Parse(Spaced(JsonWriter.Write(shuffled, false)))));
        }
    }

    [Fact]
    public void IndentedWriterRoundTripsTheDocumentExactly()
    {
        foreach (var doc in RandomDocuments(4))
        {
            var text = JsonWriter.Write(doc, true);
            Assert.DoesNotContain("\r", text);
            Assert.Equal(text, JsonWriter.Write(JsonParser.Parse(text), true));
        }
    }

    [Fact]
    public void MembersSortByUtf16CodeUnitsNotCodePoints()
    {
        // U+FB33 sorts after U+1F602 by code point but before it by UTF-16 unit (0xD83D < 0xFB33).
        var doc = JsonParser.Parse("{\"\\ufb33\":1,\"\\ud83d\\ude02\":2,\"\\u00e9\":3,\"e\":4}");

        Assert.Equal("{\"e\":4,\"\u00e9\":3,\"\ud83d\ude02\":2,\"\ufb33\":1}", JsonCanonicalizer.Canonicalize(doc));
    }

    [Fact]
    public void SameValueWrittenDifferentlyCanonicalizesTheSame()
    {
        var a = JsonParser.Parse("{\"n\":[1.0,10E-1,100e-2],\"s\":\"\\u0041\\/\"}");
        var b = JsonParser.Parse("{ \"s\" : \"A/\" , \"n\" : [ 1 , 1 , 1 ] }");

        Assert.Equal("{\"n\":[1,1,1],\"s\":\"A/\"}", JsonCanonicalizer.Canonicalize(a));
        Assert.Equal(JsonCanonicalizer.Canonicalize(a), JsonCanonicalizer.Canonicalize(b));
        Assert.Equal(Encoding.UTF8.GetBytes("{\"n\":[1,1,1],\"s\":\"A/\"}"), JsonCanonicalizer.CanonicalizeToUtf8(b));
    }

    [Fact]
    public async Task MatchesAnIndependentImplementationInNode()
    {
        // JSON.parse + JSON.stringify with keys sorted by JavaScript's default (UTF-16) order is RFC 8785.
        const string script = """
            const chunks = [];
            for await (const chunk of process.stdin) chunks.push(chunk);
            const canon = v => Array.isArray(v) ? "[" + v.map(canon).join(",") + "]"
              : v !== null && typeof v === "object" ? "{" + Object.keys(v).sort().map(k => JSON.stringify(k) + ":" + canon(v[k])).join(",") + "}"
              : JSON.stringify(v);
            const docs = JSON.parse(Buffer.concat(chunks).toString("utf8"));
            process.stdout.write(JSON.stringify(docs.map(text => canon(JSON.parse(text)))));
            """;
        var docs = RandomDocuments(5).ToArray();
        var input = JsonWriter.Write(new JsonArray(docs.Select(d => (JsonValue)new JsonString(JsonWriter.Write(d, true)))), false);

        var result = await NodeScript.RunInlineAsync(script, input);

        Assert.True(result.ExitCode == 0, result.StdErr);
        var expected = (JsonArray)JsonParser.Parse(result.StdOut);
        Assert.Equal(docs.Length, expected.Count);
        for (var i = 0; i < docs.Length; i++)
        {
            Assert.Equal(expected[i].AsString(), JsonCanonicalizer.Canonicalize(docs[i]));
        }
    }

    private static IEnumerable<JsonValue> RandomDocuments(int seed)
    {
        var random = new Random(seed);
        for (var i = 0; i < Documents; i++)
        {
            yield return RandomValue(random, 0);
        }
    }

    private static JsonValue RandomValue(Random random, int depth)
    {
        var choice = random.Next(depth >= 4 ? 4 : 6);
        switch (choice)
        {
            case 0: return new JsonString(RandomString(random));
            case 1: return RandomNumber(random);
            case 2: return random.Next(3) switch { 0 => JsonBool.True, 1 => JsonBool.False, _ => JsonNull.Instance };
            case 3: return new JsonString(RandomString(random));
            case 4:
                var array = new JsonArray();
                for (var i = random.Next(5); i > 0; i--)
                {
                    array.Add(RandomValue(random, depth + 1));
                }

                return array;
            default:
                var obj = new JsonObject();
                for (var i = random.Next(6); i > 0; i--)
                {
                    var name = RandomString(random);
                    if (!obj.ContainsKey(name))
                    {
                        obj.Add(name, RandomValue(random, depth + 1));
                    }
                }

                return obj;
        }
    }

    private static JsonValue RandomNumber(Random random)
    {
        // Parse from text so the number's source text is realistic (exponents, trailing zeros).
        string text = random.Next(5) switch
        {
            0 => random.Next(-1000, 1000).ToString(CultureInfo.InvariantCulture),
            1 => (random.NextDouble() * 1000).ToString("F3", CultureInfo.InvariantCulture),
            2 => random.Next(1, 10).ToString(CultureInfo.InvariantCulture) + "e" + random.Next(-40, 40).ToString(CultureInfo.InvariantCulture),
            3 => (random.NextDouble() - 0.5).ToString("R", CultureInfo.InvariantCulture),
            _ => BitConverter.Int64BitsToDouble(random.NextInt64(0, 0x7FEFFFFFFFFFFFFF)).ToString("R", CultureInfo.InvariantCulture),
        };
        return JsonParser.Parse(text.Replace("E+", "e+"));
    }

    private static string RandomString(Random random)
    {
        const string alphabet = "abcAB01 \"\\/\n\t\u0001\u007f\u00e9\u00fc\u20ac\u2028\ufb33";
        var builder = new StringBuilder();
        for (var i = random.Next(6); i > 0; i--)
        {
            if (random.Next(10) == 0)
            {
                builder.Append("😂");
            }
            else
            {
                builder.Append(alphabet[random.Next(alphabet.Length)]);
            }
        }

        return builder.ToString();
    }

    private static JsonValue Shuffle(JsonValue value, Random random)
    {
        switch (value)
        {
            case JsonObject obj:
                var copy = new JsonObject();
                foreach (var member in obj.Members.OrderBy(_ => random.Next()))
                {
                    copy.Add(member.Key, Shuffle(member.Value, random));
                }

                return copy;
            case JsonArray array:
                return new JsonArray(array.Select(item => Shuffle(item, random)));
            default:
                return value;
        }
    }

    private static string Spaced(string compact)
    {
        // Whitespace between tokens only: outside strings, after structural characters.
        var builder = new StringBuilder();
        var inString = false;
        for (var i = 0; i < compact.Length; i++)
        {
            var c = compact[i];
            builder.Append(c);
            if (inString)
            {
                if (c == '\\')
                {
                    builder.Append(compact[++i]);
                }
                else if (c == '"')
                {
                    inString = false;
                }
            }
            else if (c == '"')
            {
                inString = true;
            }
            else if (c is ',' or ':' or '[' or '{')
            {
                builder.Append(" \r\n\t ");
            }
        }

        return "\n " + builder + " \t\r\n";
    }
}
