using System.Reflection;
using ManifestBuild.Market.Listings;
using ManifestBuild.Market.Reviews;
using ManifestBuild.Nostr;

namespace ManifestBuild.Market.Tests;

/// <summary>
/// Events are verified once where they enter (the relay pool, or NostrEventVerifier at a file or CLI
/// entry point); the listing and review parsers take the VerifiedEvent as it is.
/// </summary>
public sealed class VerifiedEventTests
{
    [Fact]
    public void The_parsers_do_not_verify_an_event_again()
    {
        var seller = NostrKeyPair.Generate();
        var listingEvent = ListingBuilder.BuildSigned(MarketSamples.Manifest(), new ListingOptions(), seller);
        var compiledId = MarketSamples.Id(MarketSamples.Manifest());
        var review = ReviewBuilder.Build(NostrKeyPair.Generate(), seller.PublicKeyHex, compiledId, 4, "fine");
        var listing = Verified.Of(listingEvent);
        var reviewed = Verified.Of(review);

        using var checks = NostrEventVerifier.CountVerifications();
        Assert.True(ListingParser.TryParse(listing, out var parsed, out var why), why);
        Assert.Single(ListingParser.ParseAll([listing, listing]).Accepted);
        Assert.True(ReviewParser.TryParse(reviewed, null, out var parsedReview, out var reason), reason);
        var book = ReputationBook.Build([reviewed], new Dictionary<string, string?>());

        Assert.Equal(0, checks.Count);
        Assert.Equal(compiledId, parsed!.CompiledId);
        Assert.False(parsedReview!.IsVerified);
        Assert.Equal(1, book.ForListing(parsed.Address).UnverifiedCount);

        // The seam counts: an entry point's check is one verification.
        Verified.Of(listingEvent);
        Assert.Equal(1, checks.Count);
    }

    [Fact]
    public void Only_the_verifier_makes_a_verified_event_and_the_parsers_take_nothing_else()
    {
        Assert.Empty(typeof(VerifiedEvent).GetConstructors(BindingFlags.Public | BindingFlags.Instance));
        foreach (var parser in new[] { typeof(ListingParser), typeof(ReviewParser), typeof(ReputationBook) })
        {
            foreach (var method in parser.GetMethods(BindingFlags.Public | BindingFlags.Static))
            {
                foreach (var parameter in method.GetParameters())
                {
                    var type = parameter.ParameterType;
                    Assert.False(
                        type == typeof(NostrEvent) || typeof(IEnumerable<NostrEvent>).IsAssignableFrom(type),
                        $"{parser.Name}.{method.Name} takes an unverified {type.Name} ({parameter.Name})");
                }
            }
        }
    }

    [Fact]
    public void A_forged_event_never_becomes_a_verified_one()
    {
        var e = ListingBuilder.BuildSigned(MarketSamples.Manifest(), new ListingOptions(), NostrKeyPair.Generate());
        var forged = e with { Sig = new string('0', 128) };

        Assert.False(NostrEventVerifier.TryVerify(forged, out var verified, out var result));
        Assert.Null(verified);
        Assert.Equal(EventVerification.BadSignature, result);
        Assert.Equal(NostrErrorCodes.BadSignature, Assert.Throws<Format.DsrsException>(() => NostrEventVerifier.EnsureVerified(forged)).Code);
    }
}
