using System.Text;
using System.Text.Json;
using ManifestBuild.TestSupport;

namespace ManifestBuild.Nostr.Tests;

/// <summary>
/// The same events, ids, signatures, NIP-19 strings and NIP-44 payloads through nostr-tools
/// (tests/interop/nostr-crosscheck.mjs): both sides must agree byte for byte.
/// </summary>
public class NostrToolsCrossCheckTests
{
    /// <summary>Strings that break naive JSON escaping or UTF-8 handling.</summary>
    public static IReadOnlyList<string> Hostile()
    {
        var controls = new string(Enumerable.Range(0, 0x20).Select(i => (char)i).ToArray()) + "\u007f";
        var list = new List<string>
        {
            string.Empty,
            "plain",
            "\"quoted\" \\back\\slashed\\\" \\\\ \\u0041",
            controls,
            "tab\tnew\nline\rcr\bbs\fff",
            "emoji 😀🧪👩‍👩‍👧 flags 🇳🇿",
            "CJK 漢字かなカナ한국어",
            "line\u2028sep\u2029para",
            "html </script> <b>&amp;</b> / \\/",
            "bom \ufeff nbsp \u00a0 zwj \u200d rtl \u202e nonchar \uffff \ufffe",
            "combining e\u0301 a\u0308",
            "{\"json\":[1,2,{\"x\":null}]}",
            new string('x', 70_000) + "😀" + controls + new string('漢', 30_000),
        };
        return list;
    }

    private static readonly string[] LoneSurrogates = ["\ud800", "\udc00", "a\udbffb", "\udfff\ud800", "😀\ud83d"];

    private static IEnumerable<(int Kind, IReadOnlyList<IReadOnlyList<string>> Tags, string Content, long CreatedAt)> Templates(IReadOnlyList<string> strings)
    {
        var kinds = new[] { 0, 1, 31990, 65535 };
        var times = new[] { 0L, 1L, 1_700_000_000L, NostrJson.MaxSafeInteger };
        for (var i = 0; i < strings.Count; i++)
        {
            var s = strings[i];
            IReadOnlyList<IReadOnlyList<string>> tags = [["t", s], [s], [], ["d", s, s, "third"], ["e", "x", s.Length > 100 ? s[..100] : s]];
            yield return (kinds[i % kinds.Length], tags, s, times[i % times.Length]);
        }
    }

    private static async Task<JsonElement> RunAsync(string request)
    {
        var result = await NodeScript.RunFileAsync("nostr-crosscheck.mjs", [], request, TimeSpan.FromMinutes(3));
        result.EnsureSuccess();
        return JsonDocument.Parse(result.StdOut).RootElement.Clone();
    }

    private static string JsonArray(IEnumerable<string> items) => "[" + string.Join(",", items) + "]";

    private static string Template((int Kind, IReadOnlyList<IReadOnlyList<string>> Tags, string Content, long CreatedAt) t) =>
        $"{{\"kind\":{t.Kind},\"created_at\":{t.CreatedAt},\"content\":{JsStringEscaper.Quote(t.Content)},\"tags\":" +
        JsonArray(t.Tags.Select(tag => JsonArray(tag.Select(JsStringEscaper.Quote)))) + "}";

    [Fact]
    public async Task NostrToolsAgreesWithOurEvents()
    {
        var key = NostrKeyPair.Generate();
        var events = Templates(Hostile().Concat(LoneSurrogates).ToList()).Select(t => key.Sign(t.Kind, t.Tags, t.Content, t.CreatedAt)).ToList();
        var tampered = events.Take(3).Select(e => e with { Content = e.Content + "!" }).ToList();
        var all = events.Concat(tampered).ToList();

        var answer = await RunAsync("{\"events\":" + JsonArray(all.Select(NostrJson.SerializeEvent)) + "}");
        var results = answer.GetProperty("events").EnumerateArray().ToList();
        Assert.Equal(all.Count, results.Count);
        for (var i = 0; i < events.Count; i++)
        {
            var e = events[i];
            Assert.Equal(NostrEventId.Serialize(e.PubKey, e.CreatedAt, e.Kind, e.Tags, e.Content), results[i].GetProperty("serialized").GetString());
            Assert.Equal(e.Id, results[i].GetProperty("id").GetString());
            Assert.True(results[i].GetProperty("valid").GetBoolean(), $"nostr-tools rejected our event {i}");
        }

        for (var i = events.Count; i < all.Count; i++)
        {
            Assert.False(results[i].GetProperty("valid").GetBoolean(), $"nostr-tools accepted tampered event {i}");
            Assert.Equal(NostrEventId.Compute(all[i]), results[i].GetProperty("id").GetString());
        }
    }

    [Fact]
    public async Task WeAgreeWithNostrToolsEvents()
    {
        var key = NostrKeyPair.Generate();
        var templates = Templates(Hostile()).ToList();
        var answer = await RunAsync($"{{\"secret\":\"{key.ExportSecretHex()}\",\"templates\":" + JsonArray(templates.Select(Template)) + "}");
        Assert.Equal(key.PublicKeyHex, answer.GetProperty("pubkey").GetString());
        var signed = answer.GetProperty("signed").EnumerateArray().ToList();
        Assert.Equal(templates.Count, signed.Count);
        for (var i = 0; i < signed.Count; i++)
        {
            Assert.True(NostrJson.TryParseEvent(signed[i].GetRawText(), out var e, out var error), error);
            Assert.Equal(templates[i].Content, e!.Content);
            Assert.Equal(EventVerification.Valid, NostrEventVerifier.Verify(e));
            Assert.Equal(EventVerification.BadId, NostrEventVerifier.Verify(e with { Content = e.Content + " " }));
        }
    }

    [Fact]
    public async Task Nip19AgreesBothWays()
    {
        var key = NostrKeyPair.Generate();
        var author = NostrKeyPair.Generate().PublicKeyHex;
        var id = NostrKeyPair.Generate().PublicKeyHex; // any 32 bytes
        string[] relays = ["wss://relay.example.com", "ws://127.0.0.1:7777/path?x=1"];
        var identifier = "dsrs-manifest:" + id + " 漢字 😀";
        var ours = new[]
        {
            Nip19.EncodeNpub(key.PublicKeyHex),
            Nip19.EncodeNsec(key),
            Nip19.EncodeNote(id),
            Nip19.EncodeNprofile(key.PublicKeyHex, relays),
            Nip19.EncodeNevent(id, relays, author, 31990),
            Nip19.EncodeNevent(id),
            Nip19.EncodeNaddr(identifier, author, 31990, relays),
            Nip19.EncodeNaddr(string.Empty, author, 30000),
        };
        var theirsRequest = JsonArray(new[]
        {
            $"{{\"type\":\"npub\",\"pubkey\":\"{key.PublicKeyHex}\"}}",
            $"{{\"type\":\"nsec\",\"secret\":\"{key.ExportSecretHex()}\"}}",
            $"{{\"type\":\"note\",\"id\":\"{id}\"}}",
            $"{{\"type\":\"nprofile\",\"pubkey\":\"{key.PublicKeyHex}\",\"relays\":{JsonArray(relays.Select(JsStringEscaper.Quote))}}}",
            $"{{\"type\":\"nevent\",\"id\":\"{id}\",\"relays\":{JsonArray(relays.Select(JsStringEscaper.Quote))},\"author\":\"{author}\",\"kind\":31990}}",
            $"{{\"type\":\"nevent\",\"id\":\"{id}\",\"relays\":[]}}",
            $"{{\"type\":\"naddr\",\"identifier\":{JsStringEscaper.Quote(identifier)},\"pubkey\":\"{author}\",\"kind\":31990,\"relays\":{JsonArray(relays.Select(JsStringEscaper.Quote))}}}",
            $"{{\"type\":\"naddr\",\"identifier\":\"\",\"pubkey\":\"{author}\",\"kind\":30000,\"relays\":[]}}",
        });
        var answer = await RunAsync($"{{\"nip19Encode\":{theirsRequest},\"nip19Decode\":{JsonArray(ours.Select(JsStringEscaper.Quote))}}}");

        // Their encodings are byte-identical to ours.
        var encoded = answer.GetProperty("nip19Encoded").EnumerateArray().Select(e => e.GetProperty("value").GetString()).ToArray();
        Assert.Equal(ours, encoded);

        // They decode ours to the same values.
        var decoded = answer.GetProperty("nip19Decoded").EnumerateArray().Select(e => e.GetProperty("value")).ToArray();
        Assert.All(decoded.Take(3), d => Assert.Equal(JsonValueKind.String, d.GetProperty("data").ValueKind));
        Assert.Equal(key.PublicKeyHex, decoded[0].GetProperty("data").GetString());
        Assert.Equal(key.ExportSecretHex(), decoded[1].GetProperty("data").GetString());
        Assert.Equal(id, decoded[2].GetProperty("data").GetString());
        Assert.Equal(relays, decoded[3].GetProperty("data").GetProperty("relays").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal(author, decoded[4].GetProperty("data").GetProperty("author").GetString());
        Assert.Equal(31990, decoded[4].GetProperty("data").GetProperty("kind").GetInt32());
        Assert.Equal(identifier, decoded[6].GetProperty("data").GetProperty("identifier").GetString());
        Assert.Equal(30000, decoded[7].GetProperty("data").GetProperty("kind").GetInt32());

        // And we decode our own back to the inputs.
        var address = Assert.IsType<Nip19Address>(Nip19.Decode(ours[6]));
        Assert.Equal((identifier, author, 31990), (address.Identifier, address.PubKey, address.Kind));
        Assert.Equal(relays, address.Relays);
        Assert.Equal(relays, ((Nip19Event)Nip19.Decode(ours[4])).Relays);
    }

    [Fact]
    public async Task Nip44AgreesBothWays()
    {
        var alice = NostrKeyPair.Generate();
        var bob = NostrKeyPair.Generate();
        var messages = new[] { "a", "{\"method\":\"pay_invoice\",\"params\":{\"invoice\":\"lnbc1...\"}}", "漢字😀\u2028", new string('n', 65_535), new string('e', 65_536), new string('x', 70_001) };
        var ours = messages.Select(m => Nip44.Encrypt(m, alice, bob.PublicKeyHex)).ToArray();
        var request = new StringBuilder("{\"nip44Encrypt\":");
        request.Append(JsonArray(messages.Select(m => $"{{\"secret\":\"{bob.ExportSecretHex()}\",\"peer\":\"{alice.PublicKeyHex}\",\"plaintext\":{JsStringEscaper.Quote(m)}}}")));
        request.Append(",\"nip44Decrypt\":");
        request.Append(JsonArray(ours.Select(p => $"{{\"secret\":\"{bob.ExportSecretHex()}\",\"peer\":\"{alice.PublicKeyHex}\",\"payload\":\"{p}\"}}")));
        request.Append('}');
        var answer = await RunAsync(request.ToString());

        var theirPlaintexts = answer.GetProperty("nip44Decrypted").EnumerateArray().Select(d => d.GetProperty("value").GetString()).ToArray();
        Assert.Equal(messages, theirPlaintexts);
        var theirPayloads = answer.GetProperty("nip44Encrypted").EnumerateArray().Select(d => d.GetProperty("value").GetString()!).ToArray();
        Assert.Equal(messages, theirPayloads.Select(p => Nip44.Decrypt(p, alice, bob.PublicKeyHex)));
    }
}
