using System.Diagnostics.CodeAnalysis;
using ManifestBuild.Format;

namespace ManifestBuild.Nostr;

/// <summary>
/// A Nostr public key read from what a person typed: 64 hex digits (either case), an npub, an nprofile
/// (TLV 0, with the relays of its TLV 1 entries kept) or any of those behind a NIP-21 <c>nostr:</c> URI.
/// Checked once here, then carried as <see cref="Hex"/> (64 lowercase hex, the NIP-01 form). The shape is
/// checked, not the curve: a key that is no curve point simply never signs a valid event.
/// </summary>
public sealed class NostrPublicKey : IEquatable<NostrPublicKey>
{
    private NostrPublicKey(string hex, IReadOnlyList<string> relays)
    {
        Hex = hex;
        Relays = relays;
    }

    /// <summary>64 lowercase hex digits.</summary>
    public string Hex { get; }

    /// <summary>The relays an nprofile recommends (empty for hex and npub), as written in it.</summary>
    public IReadOnlyList<string> Relays { get; }

    public string Npub => Nip19.EncodeNpub(Hex);

    /// <summary>The key; DSRS0340 naming what is wrong otherwise (never echoing a secret key).</summary>
    public static NostrPublicKey Parse(string? text) =>
        TryParse(text, out var key, out var error) ? key : throw new DsrsException(NostrErrorCodes.InvalidPublicKeyText, error);

    public static bool TryParse(string? text, [NotNullWhen(true)] out NostrPublicKey? key) => TryParse(text, out key, out _);

    /// <summary>As <see cref="Parse"/>, with the reason as text for callers that report under their own code.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out NostrPublicKey? key, out string error)
    {
        key = null;
        var trimmed = (text ?? string.Empty).Trim();
        var bare = trimmed.StartsWith("nostr:", StringComparison.OrdinalIgnoreCase) ? trimmed["nostr:".Length..] : trimmed;
        if (Format.Hex.IsHex(bare, 32))
        {
            key = new NostrPublicKey(bare.ToLowerInvariant(), []);
            error = string.Empty;
            return true;
        }

        if (bare.StartsWith("nsec1", StringComparison.OrdinalIgnoreCase))
        {
            error = "a secret key (nsec) was given where a public key belongs: keep it private and give the npub";
            return false;
        }

        if (!bare.StartsWith("npub1", StringComparison.OrdinalIgnoreCase) && !bare.StartsWith("nprofile1", StringComparison.OrdinalIgnoreCase))
        {
            error = $"'{UntrustedText.Neutralise(trimmed, 80)}' is not a public key: expected 64 hex digits, an npub, an nprofile or a nostr: URI of one";
            return false;
        }

        try
        {
            switch (Nip19.Decode(bare))
            {
                case Nip19PublicKey p:
                    key = new NostrPublicKey(p.PubKey, []);
                    break;
                case Nip19Profile p:
                    key = new NostrPublicKey(p.PubKey, p.Relays);
                    break;
            }
        }
        catch (DsrsException e)
        {
            error = $"'{UntrustedText.Neutralise(trimmed, 80)}' is not a public key: {e.Message}";
            return false;
        }

        error = key is null ? "expected an npub or nprofile" : string.Empty;
        return key is not null;
    }

    public bool Equals(NostrPublicKey? other) => other is not null && other.Hex == Hex;

    public override bool Equals(object? obj) => Equals(obj as NostrPublicKey);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Hex);

    public override string ToString() => Hex;
}
