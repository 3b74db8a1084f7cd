using ManifestBuild.Nostr;

namespace ManifestBuild.Cli.Presenters;

/// <summary>How `dsrs key new | show | import` show the key: the public key always, the secret only when asked.</summary>
internal static class KeyPresenter
{
    public static async Task WriteStoredAsync(TextWriter output, string what, NostrKeyPair keyPair)
    {
        await output.WriteLineAsync(what);
        await WritePublicKeyAsync(output, keyPair);
    }

    public static async Task WriteShownAsync(TextWriter output, NostrKeyPair keyPair, bool showSecret)
    {
        await WritePublicKeyAsync(output, keyPair);
        if (showSecret)
        {
            await output.WriteLineAsync($"nsec:   {Nip19.EncodeNsec(keyPair)}");
            await output.WriteLineAsync($"secret: {keyPair.ExportSecretHex()}");
        }
    }

    private static async Task WritePublicKeyAsync(TextWriter output, NostrKeyPair keyPair)
    {
        await output.WriteLineAsync($"npub:   {Nip19.EncodeNpub(keyPair.PublicKeyHex)}");
        await output.WriteLineAsync($"pubkey: {keyPair.PublicKeyHex}");
    }
}
