using ManifestBuild.Format;
using ManifestBuild.Nostr.Relays;

namespace ManifestBuild.Nostr.Tests;

public class RelayUrlTests
{
    [Theory]
    [InlineData("wss://relay.example.com", "wss://relay.example.com")]
    [InlineData("WSS://Relay.Example.COM/", "wss://relay.example.com")]
    [InlineData("wss://relay.example.com:443", "wss://relay.example.com")]
    [InlineData("ws://relay.example.com:80/", "ws://relay.example.com")]
    [InlineData("ws://127.0.0.1:7777/", "ws://127.0.0.1:7777")]
    [InlineData("wss://relay.example.com:444", "wss://relay.example.com:444")]
    [InlineData("wss://relay.example.com//nostr//", "wss://relay.example.com/nostr")]
    [InlineData("wss://relay.example.com/Nostr/?b=1&a=2", "wss://relay.example.com/Nostr?b=1&a=2")]
    [InlineData("  wss://relay.example.com/  ", "wss://relay.example.com")]
    public void Relays_have_one_normal_form(string given, string normal)
    {
        Assert.Equal(normal, RelayUrl.Normalize(given));
        Assert.Equal(RelayUrl.Parse(normal), RelayUrl.Parse(given));
        Assert.Equal(normal, RelayUrl.Normalize(normal)); // idempotent
    }

    [Theory]
    [InlineData("wss://user:secret-pass@relay.example.com")]
    [InlineData("wss://token@relay.example.com/")]
    public void Credentials_are_refused_with_their_own_code_and_not_echoed(string url)
    {
        var error = Assert.Throws<DsrsException>(() => RelayUrl.Parse(url));
        Assert.Equal(NostrErrorCodes.RelayUrlCredentials, error.Code);
        Assert.DoesNotContain("secret-pass", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("token@", error.Message, StringComparison.Ordinal);
        Assert.False(RelayUrl.TryParse(url, out _, out _));
    }

    [Theory]
    [InlineData("https://relay.example.com")]
    [InlineData("wss://relay.example.com/#top")]
    [InlineData("wss://relay.example.com#")]
    [InlineData("relay.example.com")]
    public void Other_non_relays_are_DSRS0330(string url)
    {
        Assert.Equal(NostrErrorCodes.InvalidRelayUrl, Assert.Throws<DsrsException>(() => RelayUrl.Parse(url)).Code);
    }

    [Fact]
    public async Task The_pool_counts_one_relay_spelled_twice_once()
    {
        await using var pool = new RelayPool(["wss://relay.example.com", "WSS://relay.example.com:443/"]);
        Assert.Equal([new Uri("wss://relay.example.com")], pool.Relays);
    }
}
