namespace ManifestBuild.Nostr;

/// <summary>
/// An event whose id and BIP-340 signature <see cref="NostrEventVerifier"/> checked. Only the verifier and
/// the relay pool (which runs it on every event it returns) create one, so a parser that takes a
/// VerifiedEvent never checks again, and an unchecked event cannot be handed to it.
/// </summary>
public sealed class VerifiedEvent
{
    internal VerifiedEvent(NostrEvent e) => Event = e;

    public NostrEvent Event { get; }

    public string Id => Event.Id;

    public string PubKey => Event.PubKey;

    public int Kind => Event.Kind;

    public override string ToString() => Event.ToString();
}
