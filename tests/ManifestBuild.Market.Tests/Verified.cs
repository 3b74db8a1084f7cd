using ManifestBuild.Nostr;

namespace ManifestBuild.Market.Tests;

/// <summary>
/// Events the tests sign themselves enter the parsers the way a file or the CLI does: verified once
/// here (the relay pool does it for relay results), because the parsers take only verified events.
/// </summary>
internal static class Verified
{
    public static VerifiedEvent Of(NostrEvent e) => NostrEventVerifier.EnsureVerified(e);

    public static VerifiedEvent[] All(IEnumerable<NostrEvent> events) => events.Select(Of).ToArray();
}
