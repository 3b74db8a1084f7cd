namespace ManifestBuild.Nostr;

/// <summary>Stable error codes of the Nostr part (DSRS0300-0349).</summary>
public static class NostrErrorCodes
{
    /// <summary>An event's JSON is not a well-formed NIP-01 event.</summary>
    public const string MalformedEvent = "DSRS0300";

    /// <summary>An event's id is not the SHA-256 of its NIP-01 serialization.</summary>
    public const string BadEventId = "DSRS0301";

    /// <summary>An event's BIP-340 signature does not verify against its pubkey and id.</summary>
    public const string BadSignature = "DSRS0302";

    /// <summary>A secret key is not 32 bytes of hex, or is zero or not below the curve order.</summary>
    public const string InvalidSecretKey = "DSRS0303";

    /// <summary>A public key is not 32 bytes of hex or is not an x coordinate on secp256k1.</summary>
    public const string InvalidPublicKey = "DSRS0304";

    /// <summary>A filter's JSON is not a well-formed NIP-01 filter.</summary>
    public const string MalformedFilter = "DSRS0305";

    /// <summary>A relay or client message is not one of the NIP-01 message shapes.</summary>
    public const string MalformedMessage = "DSRS0306";

    /// <summary>A bech32 string is malformed or its checksum is wrong.</summary>
    public const string InvalidBech32 = "DSRS0310";

    /// <summary>A NIP-19 entity has the wrong prefix, length or TLV content.</summary>
    public const string InvalidNip19 = "DSRS0311";

    /// <summary>A NIP-44 payload is malformed (version, length, base64, padding).</summary>
    public const string Nip44InvalidPayload = "DSRS0315";

    /// <summary>A NIP-44 payload's MAC does not match: tampered or wrong key.</summary>
    public const string Nip44InvalidMac = "DSRS0316";

    /// <summary>A NIP-44 plaintext is empty or longer than the format allows.</summary>
    public const string Nip44InvalidPlaintext = "DSRS0317";

    /// <summary>A NIP-44 conversation key or nonce has the wrong length.</summary>
    public const string Nip44InvalidKey = "DSRS0318";

    /// <summary>No Nostr key is stored in $DSRS_HOME.</summary>
    public const string KeyNotFound = "DSRS0320";

    /// <summary>A Nostr key already exists and --force was not given.</summary>
    public const string KeyExists = "DSRS0321";

    /// <summary>The stored key file is unreadable or malformed.</summary>
    public const string KeyStoreCorrupt = "DSRS0322";

    /// <summary>The key file or folder is readable by other users.</summary>
    public const string KeyStorePermissions = "DSRS0323";

    /// <summary>A relay URL is not a ws:// or wss:// URL.</summary>
    public const string InvalidRelayUrl = "DSRS0330";

    /// <summary>Could not connect to a relay (refused, DNS, TLS, timeout).</summary>
    public const string RelayConnectFailed = "DSRS0331";

    /// <summary>The relay connection failed or closed while in use.</summary>
    public const string RelayConnectionLost = "DSRS0332";

    /// <summary>A relay sent a frame or message over the size limit.</summary>
    public const string RelayMessageTooLarge = "DSRS0333";

    /// <summary>A relay did not answer within the deadline.</summary>
    public const string RelayTimeout = "DSRS0334";

    /// <summary>A relay refused an event (OK false) or closed a subscription.</summary>
    public const string RelayRejected = "DSRS0335";

    /// <summary>A relay's NIP-11 information document could not be fetched or parsed.</summary>
    public const string RelayInfoFailed = "DSRS0336";

    /// <summary>A relay sent more events than the per-query limit allows.</summary>
    public const string RelayFlood = "DSRS0337";

    /// <summary>A relay sent a message that is not valid NIP-01 JSON.</summary>
    public const string RelayProtocolError = "DSRS0338";

    /// <summary>A relay asked for NIP-42 authentication and no key was given.</summary>
    public const string RelayAuthRequired = "DSRS0339";

    /// <summary>A public key given as text is not 64 hex, an npub, an nprofile or a nostr: URI of one.</summary>
    public const string InvalidPublicKeyText = "DSRS0340";

    /// <summary>A relay URL carries credentials (user:password@), which would reach every relay and the lockfile.</summary>
    public const string RelayUrlCredentials = "DSRS0341";
}
