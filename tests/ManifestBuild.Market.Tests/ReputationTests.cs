using System.Security.Cryptography;
using ManifestBuild.Lightning.Bolt11;
using ManifestBuild.Market.Reviews;
using ManifestBuild.Nostr;
using NBitcoin.Secp256k1;
using SHA256 = System.Security.Cryptography.SHA256;

namespace ManifestBuild.Market.Tests;

public sealed class ReputationTests
{
    /// <summary>A regtest invoice signed by a fresh node key, with its preimage and the node id.</summary>
    internal static (string Bolt11, string PreimageHex, string NodeId) Invoice(string description)
    {
        var nodeKey = RandomNumberGenerator.GetBytes(32);
        var preimage = RandomNumberGenerator.GetBytes(32);
        var bolt11 = Bolt11Encoder.Encode(
            new Bolt11InvoiceRequest
            {
                Network = "regtest",
                AmountMsat = 5000,
                Timestamp = DateTimeOffset.UtcNow,
                PaymentHash = Convert.ToHexString(SHA256.HashData(preimage)).ToLowerInvariant(),
                PaymentSecret = Convert.ToHexString(RandomNumberGenerator.GetBytes(32)).ToLowerInvariant(),
                Description = description,
            },
            nodeKey);
        using var key = ECPrivKey.Create(nodeKey);
        return (bolt11, Convert.ToHexString(preimage).ToLowerInvariant(), Convert.ToHexString(key.CreatePubKey().ToBytes(true)).ToLowerInvariant());
    }

    internal static ReputationBook BookWithVerifiedReviews(string seller, string compiledId, int rating, int count)
    {
        var events = new List<NostrEvent>();
        var nodeKey = RandomNumberGenerator.GetBytes(32);
        using var key = ECPrivKey.Create(nodeKey);
        var nodeId = Convert.ToHexString(key.CreatePubKey().ToBytes(true)).ToLowerInvariant();
        for (var i = 0; i < count; i++)
        {
            var preimage = RandomNumberGenerator.GetBytes(32);
            var bolt11 = Bolt11Encoder.Encode(
                new Bolt11InvoiceRequest
                {
                    Network = "regtest",
                    AmountMsat = 5000,
                    Timestamp = DateTimeOffset.UtcNow,
                    PaymentHash = Convert.ToHexString(SHA256.HashData(preimage)).ToLowerInvariant(),
                    PaymentSecret = Convert.ToHexString(RandomNumberGenerator.GetBytes(32)).ToLowerInvariant(),
                    Description = "dsrs manifest " + compiledId,
                },
                nodeKey);
            events.Add(ReviewBuilder.Build(NostrKeyPair.Generate(), seller, compiledId, rating, "good", new PurchaseProof(bolt11, Convert.ToHexString(preimage))));
        }

        var address = $"31990:{seller}:dsrs-manifest:{compiledId}";
        return ReputationBook.Build(Verified.All(events), new Dictionary<string, string?> { [address] = nodeId });
    }

    private static readonly string CompiledId = new('a', 64);

    [Fact]
    public void Verified_review_counts_once_per_payment_hash_and_unverified_apart()
    {
        var seller = NostrKeyPair.Generate().PublicKeyHex;
        var buyer = NostrKeyPair.Generate();
        var (bolt11, preimage, node) = Invoice("dsrs manifest " + CompiledId);
        var address = $"31990:{seller}:dsrs-manifest:{CompiledId}";
        var first = ReviewBuilder.Build(buyer, seller, CompiledId, 4, "ok", new PurchaseProof(bolt11, preimage), createdAt: 100);
        var update = ReviewBuilder.Build(buyer, seller, CompiledId, 5, "better", new PurchaseProof(bolt11, preimage), createdAt: 200);
        var thief = ReviewBuilder.Build(NostrKeyPair.Generate(), seller, CompiledId, 1, "copied proof", new PurchaseProof(bolt11, preimage), createdAt: 300);
        var unverified = ReviewBuilder.Build(NostrKeyPair.Generate(), seller, CompiledId, 2, "no proof");
        var book = ReputationBook.Build(Verified.All([first, update, thief, unverified]), new Dictionary<string, string?> { [address] = node });

        var score = book.ForSeller(seller);
        Assert.Equal(1, score.VerifiedCount);
        Assert.Equal(5, score.VerifiedMean);
        Assert.Equal(1, score.UnverifiedCount);
        Assert.Equal(2, score.UnverifiedMean);
        Assert.Equal(score, book.ForListing(address));
        Assert.Equal(2, book.Rejected.Count);
    }

    [Fact]
    public void Proofs_that_do_not_hold_are_rejected_with_the_reason()
    {
        var seller = NostrKeyPair.Generate().PublicKeyHex;
        var (bolt11, preimage, node) = Invoice("dsrs manifest " + CompiledId);
        var (otherBolt11, otherPreimage, _) = Invoice("dsrs manifest " + CompiledId);
        var (wrongDescription, wrongDescriptionPreimage, wrongDescriptionNode) = Invoice("something else");
        var buyer = NostrKeyPair.Generate();

        string Reason(NostrEvent e, string listingNode)
        {
            Assert.False(ReviewParser.TryParse(Verified.Of(e), listingNode, out _, out var reason));
            return reason;
        }

        Assert.Contains("does not recover the listing's node", Reason(ReviewBuilder.Build(buyer, seller, CompiledId, 5, null, new PurchaseProof(otherBolt11, otherPreimage)), node), StringComparison.Ordinal);
        Assert.Contains("sha256(preimage)", Reason(ReviewBuilder.Build(buyer, seller, CompiledId, 5, null, new PurchaseProof(bolt11, otherPreimage)), node), StringComparison.Ordinal);
        Assert.Contains("does not name the compiled_id", Reason(ReviewBuilder.Build(buyer, seller, CompiledId, 5, null, new PurchaseProof(wrongDescription, wrongDescriptionPreimage)), wrongDescriptionNode), StringComparison.Ordinal);
        Assert.True(ReviewParser.TryParse(Verified.Of(ReviewBuilder.Build(buyer, seller, CompiledId, 5, null, new PurchaseProof(bolt11, preimage))), node, out var ok, out _));
        Assert.True(ok!.IsVerified);

        var sellerKey = NostrKeyPair.Generate();
        Assert.Contains("own listing", Reason(ReviewBuilder.Build(sellerKey, sellerKey.PublicKeyHex, CompiledId, 5, null), node), StringComparison.Ordinal);
    }

    [Fact]
    public void Review_tags_follow_section_3()
    {
        var seller = NostrKeyPair.Generate().PublicKeyHex;
        var (bolt11, preimage, _) = Invoice("dsrs manifest " + CompiledId);
        var e = ReviewBuilder.Build(NostrKeyPair.Generate(), seller, CompiledId, 4, "solid", new PurchaseProof(bolt11, preimage));
        Assert.Equal(1985, e.Kind);
        Assert.True(e.HasTag("L", "dsrs.review"));
        Assert.Contains(e.Tags, t => t.SequenceEqual(["l", "4", "dsrs.review"]));
        Assert.Equal($"31990:{seller}:dsrs-manifest:{CompiledId}", e.FirstTagValue("a"));
        Assert.Equal(seller, e.FirstTagValue("p"));
        Assert.Equal(bolt11, e.FirstTagValue("bolt11"));
        Assert.Equal(preimage, e.FirstTagValue("preimage"));
        Assert.Equal("solid", e.Content);
        Assert.Throws<Format.DsrsException>(() => ReviewBuilder.Build(NostrKeyPair.Generate(), seller, CompiledId, 6, null));
    }
}
