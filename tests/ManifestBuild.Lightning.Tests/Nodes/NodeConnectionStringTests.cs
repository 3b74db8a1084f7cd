using ManifestBuild.Format;
using ManifestBuild.Lightning.Nodes;
using ManifestBuild.TestSupport;

namespace ManifestBuild.Lightning.Tests.Nodes;

public sealed class NodeConnectionStringTests
{
    private const string Macaroon = "0201036c6e6402f801030a10b3bf6906c1937139ac0684ac4417a2ee";
    private const string Secret = "71a8c14c1407c113601079c4302dab36460f0ccd0ad506f1f2dc73b5100e4f3c";
    private const string WalletPubkey = "b889ff5b1513b641e2a139f661a661364979c5beee91842f8f0ef42ab558e9d4";

    [Fact]
    public void Parses_each_documented_form()
    {
        var lnd = NodeConnectionString.Parse($"type=lnd-rest;server=https://lnd.example:8080;macaroon={Macaroon};certthumbprint={new string('A', 64)}");
        var cln = NodeConnectionString.Parse("type=clightning-rest;server=https://cln.example:3010/;rune=abc-_=");
        var lnbits = NodeConnectionString.Parse("TYPE=lnbits; server=https://lnbits.example/ ; api-key=k1;network=regtest;");
        var phoenixd = NodeConnectionString.Parse("type=phoenixd;server=http://127.0.0.1:9740;password=pw");
        var dev = NodeConnectionString.Parse("type=dev;name=buyer;ledger=/tmp/ledger");
        var nwc = NodeConnectionString.Parse($"nostr+walletconnect://{WalletPubkey}?relay=wss%3A%2F%2Frelay.damus.io&relay=wss://nos.lol&secret={Secret}&lud16=a%40b.c");

        Assert.Equal(("lnd-rest", "https://lnd.example:8080/", Macaroon, new string('a', 64)), (lnd.Type, lnd.Server!.ToString(), lnd.Get("macaroon"), lnd.Get("certthumbprint")));
        Assert.Equal(("clightning-rest", "abc-_="), (cln.Type, cln.Get("rune")));
        Assert.Equal(("lnbits", "https://lnbits.example/", "k1", "regtest"), (lnbits.Type, lnbits.Server!.ToString(), lnbits.Get("api-key"), lnbits.Get("network")));
        Assert.Equal(("phoenixd", "pw"), (phoenixd.Type, phoenixd.Get("password")));
        Assert.Equal(("dev", "buyer", "/tmp/ledger", null), (dev.Type, dev.Get("name"), dev.Get("ledger"), dev.Server));
        Assert.Equal(("nwc", WalletPubkey, Secret, "a@b.c"), (nwc.Type, nwc.Get("pubkey"), nwc.Get("secret"), nwc.Get("lud16")));
        Assert.Equal(["wss://relay.damus.io/", "wss://nos.lol/"], nwc.Relays.Select(r => r.ToString()));
    }

    [Theory]
    [InlineData("type=lnd;server=https://x;macaroon=00", NodeErrorCodes.UnknownNodeType, "'type'")]
    [InlineData("server=https://x;macaroon=00", NodeErrorCodes.MissingKey, "'type'")]
    [InlineData("type=lnd-rest;macaroon=00", NodeErrorCodes.MissingKey, "'server'")]
    [InlineData("type=lnd-rest;server=https://x", NodeErrorCodes.MissingKey, "'macaroon'")]
    [InlineData("type=clightning-rest;server=https://x", NodeErrorCodes.MissingKey, "'rune'")]
    [InlineData("type=lnbits;server=https://x", NodeErrorCodes.MissingKey, "'api-key'")]
    [InlineData("type=phoenixd;server=https://x", NodeErrorCodes.MissingKey, "'password'")]
    [InlineData("type=dev", NodeErrorCodes.MissingKey, "'name'")]
    [InlineData("type=phoenixd;server=https://x;password=p;macaroon=00", NodeErrorCodes.UnknownKey, "'macaroon'")]
    [InlineData("type=lnd-rest;server=https://x;macaroon=zz", NodeErrorCodes.MalformedValue, "'macaroon'")]
    [InlineData("type=lnd-rest;server=https://x;macaroon=00;certthumbprint=abcd", NodeErrorCodes.MalformedValue, "'certthumbprint'")]
    [InlineData("type=lnd-rest;server=ftp://x;macaroon=00", NodeErrorCodes.MalformedValue, "'server'")]
    [InlineData("type=lnd-rest;server=https://u:p@x;macaroon=00", NodeErrorCodes.MalformedValue, "'server'")]
    [InlineData("type=lnd-rest;server=https://x;macaroon=00;macaroonfilepath=/m", NodeErrorCodes.ConflictingKeys, "'macaroonfilepath'")]
    [InlineData("type=lnd-rest;server=https://x;macaroon=00;macaroon=11", NodeErrorCodes.ConflictingKeys, "'macaroon'")]
    [InlineData("type=lnbits;server=https://x;api-key=k;network=mars", NodeErrorCodes.MalformedValue, "'network'")]
    [InlineData("type=phoenixd;server=http://phoenix.example:9740;password=p", NodeErrorCodes.InsecureServer, "'server'")]
    [InlineData("type=phoenixd;server=https://x;password=p;allowinsecure=yes", NodeErrorCodes.MalformedValue, "'allowinsecure'")]
    [InlineData("type=phoenixd;server", NodeErrorCodes.MalformedConnectionString, "segment 2")]
    [InlineData("nostr+walletconnect://abc?relay=wss://r&secret=" + Secret, NodeErrorCodes.MalformedValue, "public key")]
    [InlineData("nostr+walletconnect://" + WalletPubkey + "?secret=" + Secret, NodeErrorCodes.MissingKey, "'relay'")]
    [InlineData("nostr+walletconnect://" + WalletPubkey + "?relay=https://r&secret=" + Secret, NodeErrorCodes.MalformedValue, "'relay'")]
    [InlineData("nostr+walletconnect://" + WalletPubkey + "?relay=wss://r", NodeErrorCodes.MissingKey, "'secret'")]
    [InlineData("nostr+walletconnect://" + WalletPubkey + "?relay=wss://r&secret=1234", NodeErrorCodes.MalformedValue, "'secret'")]
    public void Refusals_name_the_bad_key(string connectionString, string code, string named)
    {
        var error = Assert.Throws<DsrsException>(() => NodeConnectionString.Parse(connectionString));

        Assert.Equal(code, error.Code);
        Assert.Contains(named, error.Message);
    }

    [Theory]
    [InlineData("type=lnd-rest;server=https://x;macaroon=SECRETVALUE99")]
    [InlineData("type=lnd-rest;server=ftp://x;macaroon=0a0b0c0d0e0f1a1b")]
    [InlineData("type=clightning-rest;server=https://x;rune=SECRETVALUE99;bogus=1")]
    [InlineData("type=lnbits;server=http://remote.example;api-key=SECRETVALUE99")]
    [InlineData("type=phoenixd;server=https://x;password=SECRETVALUE99;password=SECRETVALUE99")]
    [InlineData("type=phoenixd;SECRETVALUE99;password=p")]
    [InlineData("type=SECRETVALUE99")]
    [InlineData("nostr+walletconnect://" + WalletPubkey + "?relay=wss://r&secret=SECRETVALUE99")]
    public void A_refusal_never_echoes_a_secret(string connectionString)
    {
        var error = Assert.Throws<DsrsException>(() => NodeConnectionString.Parse(connectionString));

        Assert.DoesNotContain("SECRETVALUE99", error.ToString(), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("0a0b0c0d0e0f1a1b", error.ToString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void ToString_hides_every_secret()
    {
        var forms = new[]
        {
            $"type=lnd-rest;server=https://x;macaroon={Macaroon}",
            "type=clightning-rest;server=https://x;rune=RUNESECRET",
            "type=lnbits;server=https://x;api-key=APIKEYSECRET",
            "type=phoenixd;server=https://x;password=PASSWORDSECRET",
            $"nostr+walletconnect://{WalletPubkey}?relay=wss://r&secret={Secret}",
        };
        foreach (var form in forms)
        {
            var text = NodeConnectionString.Parse(form).ToString();
            foreach (var secret in new[] { Macaroon, "RUNESECRET", "APIKEYSECRET", "PASSWORDSECRET", Secret })
            {
                Assert.DoesNotContain(secret, text, StringComparison.OrdinalIgnoreCase);
            }

            Assert.Contains("***", text);
        }
    }

    [Fact]
    public void Loopback_http_is_allowed_and_remote_http_needs_allowinsecure()
    {
        Assert.Equal("http", NodeConnectionString.Parse("type=phoenixd;server=http://localhost:9740;password=p").Server!.Scheme);
        Assert.Equal("http", NodeConnectionString.Parse("type=phoenixd;server=http://[::1]:9740;password=p").Server!.Scheme);
        Assert.Equal("http", NodeConnectionString.Parse("type=phoenixd;server=http://10.0.0.2:9740;password=p;allowinsecure=true").Server!.Scheme);
    }

    [Fact]
    public void Resolve_prefers_DSRS_NODE_then_config_json_and_says_when_neither_is_set()
    {
        using var home = new TempDirectory("nodes-home");
        var fromEnv = new Dictionary<string, string?> { ["DSRS_NODE"] = "type=dev;name=env" };
        var empty = new Dictionary<string, string?>();

        var missing = Assert.Throws<DsrsException>(() => NodeConnectionString.Resolve(k => empty.GetValueOrDefault(k), home.Path));
        Assert.Null(NodeConnectionString.TryResolve(k => empty.GetValueOrDefault(k), home.Path));
        home.Write("config.json", """{"relays": [], "node": "type=dev;name=config"}""");

        Assert.Equal(NodeErrorCodes.NoNodeConfigured, missing.Code);
        Assert.Equal("env", NodeConnectionString.Resolve(k => fromEnv.GetValueOrDefault(k), home.Path).Get("name"));
        Assert.Equal("config", NodeConnectionString.Resolve(k => empty.GetValueOrDefault(k), home.Path).Get("name"));
    }

    [Fact]
    public void A_malformed_config_file_is_reported_without_quoting_it()
    {
        using var home = new TempDirectory("nodes-home");
        home.Write("config.json", "{\"node\": \"type=phoenixd;password=SECRETVALUE99\" oops");

        var error = Assert.Throws<DsrsException>(() => NodeConnectionString.Resolve(_ => null, home.Path));

        Assert.Equal(NodeErrorCodes.BadConfigFile, error.Code);
        Assert.DoesNotContain("SECRETVALUE99", error.ToString());
        home.Write("config.json", "{\"node\": 42}");
        Assert.Equal(NodeErrorCodes.BadConfigFile, Assert.Throws<DsrsException>(() => NodeConnectionString.Resolve(_ => null, home.Path)).Code);
    }

    [Fact]
    public void Factory_builds_the_adapter_for_each_http_type_and_reads_a_macaroon_file()
    {
        using var home = new TempDirectory("nodes-home");
        var macaroonFile = Path.Combine(home.Path, "admin.macaroon");
        File.WriteAllBytes(macaroonFile, Convert.FromHexString(Macaroon));

        Assert.IsType<LndRestNode>(LightningNodeFactory.Create(NodeConnectionString.Parse($"type=lnd-rest;server=https://x;macaroonfilepath={macaroonFile}"), home.Path));
        Assert.IsType<ClnRestNode>(LightningNodeFactory.Create(NodeConnectionString.Parse("type=clightning-rest;server=https://x;rune=r"), home.Path));
        Assert.IsType<LnbitsNode>(LightningNodeFactory.Create(NodeConnectionString.Parse("type=lnbits;server=https://x;api-key=k"), home.Path));
        Assert.IsType<PhoenixdNode>(LightningNodeFactory.Create(NodeConnectionString.Parse("type=phoenixd;server=https://x;password=p"), home.Path));
        var missingFile = Assert.Throws<DsrsException>(() => LightningNodeFactory.Create(NodeConnectionString.Parse($"type=lnd-rest;server=https://x;macaroonfilepath={macaroonFile}.gone"), home.Path));
        Assert.Equal(NodeErrorCodes.UnreadableFile, missingFile.Code);
        Assert.Contains("'macaroonfilepath'", missingFile.Message);
    }
}
