using NBitcoin.Secp256k1;

namespace ManifestBuild.Nostr.Tests;

/// <summary>
/// Batch verification must reach exactly the verdicts of checking one by one, for every kind of bad
/// event, wherever it sits in the batch; and its random weights must stop bad signatures from
/// cancelling each other out.
/// </summary>
public class BatchVerificationTests
{
    private static readonly NostrKeyPair[] Sellers = Enumerable.Range(0, 5).Select(_ => NostrKeyPair.Generate()).ToArray();

    private static List<NostrEvent> ValidEvents(int count, int firstNumber = 0) =>
        Enumerable.Range(firstNumber, count)
            .Select(i => TestEvents.Listing(Sellers[i % Sellers.Length], $"id{i:D5}", 1_700_000_000 + i, content: "{\"n\":" + i + "}"))
            .ToList();

    private static EventVerification[] OneByOne(IReadOnlyList<NostrEvent> events) => events.Select(NostrEventVerifier.Verify).ToArray();

    private static EventVerification[] Batched(IReadOnlyList<NostrEvent> events, bool batch = true)
    {
        var results = new EventVerification[events.Count];
        NostrEventVerifier.VerifyMany(events.ToArray(), results, batch);
        return results;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(NostrEventVerifier.MinimumBatch - 1)]
    [InlineData(NostrEventVerifier.MinimumBatch)]
    [InlineData(200)]
    [InlineData(NostrEventVerifier.MaximumBatch + 3)]
    public void ValidEventsAllVerify(int count)
    {
        var events = ValidEvents(count);
        Assert.All(Batched(events), r => Assert.Equal(EventVerification.Valid, r));
    }

    public static TheoryData<string, int> Corruptions()
    {
        var data = new TheoryData<string, int>();
        foreach (var kind in Corrupt.Kinds)
        {
            foreach (var position in new[] { 0, 1, 17, 39 })
            {
                data.Add(kind, position);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Corruptions))]
    public void OneBadEventIsNamedAndTheOthersStillVerify(string kind, int position)
    {
        var events = ValidEvents(40);
        events[position] = Corrupt.Apply(kind, events[position], events[(position + 1) % events.Count]);

        var expected = OneByOne(events);
        Assert.NotEqual(EventVerification.Valid, expected[position]);
        Assert.Equal(expected, Batched(events));
        Assert.Equal(39, Batched(events).Count(r => r == EventVerification.Valid));
    }

    [Fact]
    public void RandomMixesGiveTheOneByOneVerdicts()
    {
        // Seeded so a failure can be replayed; every batch mixes several kinds of bad events.
        var random = new Random(20261125);
        var pool = ValidEvents(600);
        for (var round = 0; round < 40; round++)
        {
            var size = random.Next(1, 300);
            var events = Enumerable.Range(0, size).Select(_ => pool[random.Next(pool.Count)]).ToList();
            var bad = random.Next(0, 4);
            for (var b = 0; b < bad; b++)
            {
                var at = random.Next(size);
                events[at] = Corrupt.Apply(Corrupt.Kinds[random.Next(Corrupt.Kinds.Length)], events[at], pool[random.Next(pool.Count)]);
            }

            Assert.Equal(OneByOne(events), Batched(events));
        }
    }

    [Fact]
    public void TheBatchEquationHoldsForValidSetsAndFailsWithOneBadSignature()
    {
        // The verdict tests pass even if the equation never held (the one-by-one fallback would
        // decide); this one shows the batch itself accepts valid sets, of one key and of many.
        var events = ValidEvents(40);
        var checks = events.Select(e => new SignatureCheck(e.PubKey, e.Sig, Convert.FromHexString(e.Id))).ToArray();
        Assert.True(NostrEventVerifier.BatchEquationHolds(checks));
        Assert.True(NostrEventVerifier.BatchEquationHolds(checks.Where(c => c.PubKeyHex == Sellers[2].PublicKeyHex).ToArray()));
        Assert.True(NostrEventVerifier.BatchEquationHolds(checks.AsSpan(0, 1)));

        checks[21] = checks[21] with { Message32 = checks[22].Message32 };
        Assert.False(NostrEventVerifier.BatchEquationHolds(checks));
    }

    [Fact]
    public void BatchingOffGivesTheSameVerdicts()
    {
        var events = ValidEvents(64);
        events[10] = TestEvents.WithBadSig(events[10]);
        Assert.Equal(Batched(events, batch: true), Batched(events, batch: false));
    }

    [Fact]
    public void ErrorsThatCancelOutWithoutRandomWeightsAreCaught()
    {
        // Two signatures by one key, s1 + d and s2 - d: their sum still satisfies the equation with
        // weights of 1, so a batch without random weights would accept both forgeries.
        var key = Sellers[0];
        var events = ValidEvents(30).Select(e => e.PubKey == key.PublicKeyHex ? e : Sellers[0].Sign(e.Kind, e.Tags, e.Content, e.CreatedAt)).ToList();
        var d = new Scalar(12345u);
        events[0] = events[0] with { Sig = AddToS(events[0].Sig, d) };
        events[1] = events[1] with { Sig = AddToS(events[1].Sig, d.Negate()) };

        var results = Batched(events);
        Assert.Equal(EventVerification.BadSignature, results[0]);
        Assert.Equal(EventVerification.BadSignature, results[1]);
        Assert.All(results.Skip(2), r => Assert.Equal(EventVerification.Valid, r));
    }

    [Fact]
    public void Bip340VectorsGiveTheSameVerdictsInOneBatch()
    {
        var rows = Bip340VectorTests.Rows().Select(row => (Pub: ((string)row[2]).ToLowerInvariant(), Msg: Convert.FromHexString((string)row[4]), Sig: ((string)row[5]).ToLowerInvariant())).ToList();
        var valid = rows.Where(r => NostrEventVerifier.VerifySignature(r.Pub, r.Sig, r.Msg) == EventVerification.Valid).ToList();
        Assert.True(rows.Count > valid.Count && valid.Count > 0);

        // Enough valid rows to make a batch, with every invalid row among them.
        var checks = Enumerable.Range(0, 4).SelectMany(_ => valid).Concat(rows).Select(r => new SignatureCheck(r.Pub, r.Sig, r.Msg)).ToArray();
        var results = new EventVerification[checks.Length];
        NostrEventVerifier.VerifySignatures(checks, results);

        var expected = checks.Select(c => NostrEventVerifier.VerifySignature(c.PubKeyHex, c.SigHex, c.Message32)).ToArray();
        Assert.Equal(expected, results);
    }

    private static string AddToS(string sigHex, Scalar d)
    {
        var bytes = Convert.FromHexString(sigHex);
        var s = new Scalar(bytes.AsSpan(32)) + d;
        s.WriteToSpan(bytes.AsSpan(32));
        return Convert.ToHexString(bytes).ToLowerInvariant();
    }

    /// <summary>Ways an event can be bad, each caught by a different check.</summary>
    private static class Corrupt
    {
        public static readonly string[] Kinds =
        [
            "flipped signature", "altered content", "signature of another event", "key of another seller",
            "malformed id", "r not on the curve", "s not below n", "r not below p", "key not on the curve",
        ];

        public static NostrEvent Apply(string kind, NostrEvent e, NostrEvent other) => kind switch
        {
            "flipped signature" => TestEvents.WithBadSig(e),
            "altered content" => TestEvents.WithBadId(e),
            "signature of another event" => e with { Sig = other.Id == e.Id ? TestEvents.WithBadSig(e).Sig : other.Sig },
            "key of another seller" => ResignedIdOnly(e, Sellers.First(s => s.PublicKeyHex != e.PubKey)),
            "malformed id" => e with { Id = e.Id.ToUpperInvariant() },
            "r not on the curve" => e with { Sig = XWithoutPoint() + e.Sig[64..] },
            "s not below n" => e with { Sig = e.Sig[..64] + new string('f', 64) },
            "r not below p" => e with { Sig = new string('f', 64) + e.Sig[64..] },
            "key not on the curve" => ResignedIdOnly(e, null),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };

        /// <summary>The event under another key with a matching id, but the original signature.</summary>
        private static NostrEvent ResignedIdOnly(NostrEvent e, NostrKeyPair? key)
        {
            var pubKey = key?.PublicKeyHex ?? XWithoutPoint();
            return e with { PubKey = pubKey, Id = NostrEventId.Compute(pubKey, e.CreatedAt, e.Kind, e.Tags, e.Content) };
        }

        /// <summary>An x coordinate with no curve point (so neither a key nor an R can be lifted from it).</summary>
        private static string XWithoutPoint()
        {
            var x = new byte[32];
            x[31] = 5;
            while (ECXOnlyPubKey.TryCreate(x, out _))
            {
                x[31]++;
            }

            return Convert.ToHexString(x).ToLowerInvariant();
        }
    }
}
