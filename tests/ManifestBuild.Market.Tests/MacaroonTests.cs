using System.Security.Cryptography;
using System.Text;
using ManifestBuild.Format;
using ManifestBuild.Market.L402;

namespace ManifestBuild.Market.Tests;

public sealed class MacaroonTests
{
    private static readonly byte[] RootKey = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();

    [Fact]
    public void Signature_matches_the_libmacaroons_reference_chain()
    {
        // libmacaroons / pymacaroons reference: location "http://mybank/", key "this is our super secret key; only we should know it",
        // id "we used our secret key" -> e3d9e029..., then caveat "test = caveat" -> 197bac7a...
        var key = Encoding.ASCII.GetBytes("this is our super secret key; only we should know it");
        var plain = Macaroon.Mint(key, Encoding.ASCII.GetBytes("we used our secret key"), "http://mybank/", []);
        Assert.Equal("e3d9e02908526c4c0039ae15114115d97fdd68bf2ba379b342aaf0f617d0552f", Convert.ToHexString(plain.Signature).ToLowerInvariant());
        var caveated = Macaroon.Mint(key, Encoding.ASCII.GetBytes("we used our secret key"), "http://mybank/", ["test = caveat"]);
        Assert.Equal("197bac7a044af33332865b9266e26d493bdd668a660e44d88ce1a998c23dbd67", Convert.ToHexString(caveated.Signature).ToLowerInvariant());
        Assert.Equal(caveated.Signature, plain.WithCaveat("test = caveat").Signature);
    }

    [Fact]
    public void V2_binary_round_trips_and_starts_with_version_2()
    {
        var macaroon = Macaroon.Mint(RootKey, [0, 0, 1, 2, 3], "https://seller.test", ["compiled_id=abc", "x=y"]);
        var bytes = macaroon.Serialize();
        Assert.Equal(2, bytes[0]);
        var back = Macaroon.Deserialize(bytes);
        Assert.Equal(macaroon.Identifier, back.Identifier);
        Assert.Equal("https://seller.test", back.Location);
        Assert.Equal(["compiled_id=abc", "x=y"], back.Caveats);
        Assert.Equal(macaroon.Signature, back.Signature);
        Assert.True(back.HasValidSignature(RootKey));
        Assert.Equal(bytes, back.Serialize());
    }

    [Theory]
    [InlineData(new byte[] { })]
    [InlineData(new byte[] { 1, 2, 3 })]
    [InlineData(new byte[] { 2, 2, 50, 1 })]
    [InlineData(new byte[] { 2, 2, 1, 7, 0, 0 })]
    public void Malformed_bytes_are_refused_with_the_macaroon_code(byte[] bytes)
    {
        var e = Assert.Throws<DsrsException>(() => Macaroon.Deserialize(bytes));
        Assert.Equal(MarketErrorCodes.MalformedMacaroon, e.Code);
    }

    [Fact]
    public void Token_commits_to_payment_hash_and_compiled_id()
    {
        var preimage = RandomNumberGenerator.GetBytes(32);
        var hash = Convert.ToHexString(SHA256.HashData(preimage)).ToLowerInvariant();
        var id = new string('a', 64);
        var token = L402Token.Mint(RootKey, hash, id);
        var identifier = L402Identifier.Decode(token.Identifier);
        Assert.Equal(0, identifier.Version);
        Assert.Equal(hash, identifier.PaymentHashHex);
        Assert.Equal(["compiled_id=" + id], token.Caveats);

        var credential = new L402Credential(Macaroon.FromBase64(token.ToBase64()), preimage);
        Assert.Equal(hash, L402Token.Verify(RootKey, credential, id).PaymentHashHex);

        Assert.Equal(MarketErrorCodes.TokenCaveatMismatch, Assert.Throws<DsrsException>(() => L402Token.Verify(RootKey, credential, new string('b', 64))).Code);
        Assert.Equal(MarketErrorCodes.PreimageMismatch, Assert.Throws<DsrsException>(() => L402Token.Verify(RootKey, credential with { Preimage = RandomNumberGenerator.GetBytes(32) }, id)).Code);
        Assert.Equal(MarketErrorCodes.MacaroonSignatureInvalid, Assert.Throws<DsrsException>(() => L402Token.Verify(RandomNumberGenerator.GetBytes(32), credential, id)).Code);
    }

    [Fact]
    public void Altered_or_widened_tokens_are_refused()
    {
        var preimage = RandomNumberGenerator.GetBytes(32);
        var hash = Convert.ToHexString(SHA256.HashData(preimage)).ToLowerInvariant();
        var id = new string('a', 64);
        var token = L402Token.Mint(RootKey, hash, id);

        // A caveat rewritten to another manifest without the root key: the signature no longer chains.
        var rewritten = new Macaroon(token.Identifier, null, ["compiled_id=" + new string('b', 64)], token.Signature);
        Assert.Equal(MarketErrorCodes.MacaroonSignatureInvalid, Assert.Throws<DsrsException>(() => L402Token.Verify(RootKey, new L402Credential(rewritten, preimage), new string('b', 64))).Code);

        // Adding a caveat is allowed by macaroons but can only narrow: a second id caveat for another manifest refuses both.
        var narrowed = token.WithCaveat("compiled_id=" + new string('b', 64));
        Assert.Equal(MarketErrorCodes.TokenCaveatMismatch, Assert.Throws<DsrsException>(() => L402Token.Verify(RootKey, new L402Credential(narrowed, preimage), id)).Code);

        // A flipped identifier byte (another payment hash) breaks the signature.
        var identifier = (byte[])token.Identifier.Clone();
        identifier[5] ^= 1;
        var flipped = new Macaroon(identifier, null, token.Caveats, token.Signature);
        Assert.Equal(MarketErrorCodes.MacaroonSignatureInvalid, Assert.Throws<DsrsException>(() => L402Token.Verify(RootKey, new L402Credential(flipped, preimage), id)).Code);
    }

    [Fact]
    public void Root_key_is_created_once_and_kept_private()
    {
        using var home = new ManifestBuild.TestSupport.TempDirectory("market-rootkey");
        var first = L402RootKey.LoadOrCreate(home.Path);
        var second = L402RootKey.LoadOrCreate(home.Path);
        Assert.Equal(32, first.Length);
        Assert.Equal(first, second);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(L402RootKey.PathIn(home.Path)));
        }
    }
}
