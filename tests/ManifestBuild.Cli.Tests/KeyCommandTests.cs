using ManifestBuild.Cli;
using ManifestBuild.Nostr;
using ManifestBuild.TestSupport;

namespace ManifestBuild.Cli.Tests;

public class KeyCommandTests
{
    private static async Task<(int Exit, string Out, string Error)> RunAsync(string home, string stdin, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var context = new CliContext
        {
            Out = output,
            Error = error,
            In = new StringReader(stdin),
            Env = name => name == "DSRS_HOME" ? home : null,
        };
        var exit = await Program.RunAsync(args, context);
        return (exit, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task NewCreatesAKeyAndShowPrintsOnlyThePublicPart()
    {
        using var home = new TempDirectory("cli-key");
        var (exit, output, _) = await RunAsync(home.Path, string.Empty, "key", "new");
        Assert.Equal(0, exit);
        var key = NostrKeyStore.Load(home.Path);
        Assert.Contains(Nip19.EncodeNpub(key.PublicKeyHex), output);
        Assert.Contains(key.PublicKeyHex, output);
        Assert.DoesNotContain(key.ExportSecretHex(), output);
        Assert.DoesNotContain("nsec1", output);

        (exit, output, _) = await RunAsync(home.Path, string.Empty, "key", "show");
        Assert.Equal(0, exit);
        Assert.Contains("npub1", output);
        Assert.DoesNotContain(key.ExportSecretHex(), output);
        Assert.DoesNotContain("nsec1", output);

        (exit, output, _) = await RunAsync(home.Path, string.Empty, "key", "show", "--show-secret");
        Assert.Equal(0, exit);
        Assert.Contains(Nip19.EncodeNsec(key), output);
        Assert.Contains(key.ExportSecretHex(), output);
    }

    [Fact]
    public async Task NewRefusesToOverwriteWithoutForce()
    {
        using var home = new TempDirectory("cli-key");
        Assert.Equal(0, (await RunAsync(home.Path, string.Empty, "key", "new")).Exit);
        var first = NostrKeyStore.Load(home.Path).PublicKeyHex;

        var (exit, _, error) = await RunAsync(home.Path, string.Empty, "key", "new");
        Assert.Equal(1, exit);
        Assert.StartsWith(NostrErrorCodes.KeyExists + ":", error.Trim());
        Assert.Equal(first, NostrKeyStore.Load(home.Path).PublicKeyHex);

        Assert.Equal(0, (await RunAsync(home.Path, string.Empty, "key", "new", "--force")).Exit);
        Assert.NotEqual(first, NostrKeyStore.Load(home.Path).PublicKeyHex);
    }

    [Fact]
    public async Task ImportsNsecHexAndStdin()
    {
        var key = NostrKeyPair.Generate();
        using (var home = new TempDirectory("cli-key"))
        {
            var (exit, output, _) = await RunAsync(home.Path, string.Empty, "key", "import", Nip19.EncodeNsec(key));
            Assert.Equal(0, exit);
            Assert.Equal(key.PublicKeyHex, NostrKeyStore.Load(home.Path).PublicKeyHex);
            Assert.DoesNotContain(key.ExportSecretHex(), output);
        }

        using (var home = new TempDirectory("cli-key"))
        {
            Assert.Equal(0, (await RunAsync(home.Path, string.Empty, "key", "import", key.ExportSecretHex())).Exit);
            Assert.Equal(key.PublicKeyHex, NostrKeyStore.Load(home.Path).PublicKeyHex);
            var (exit, _, error) = await RunAsync(home.Path, string.Empty, "key", "import", key.ExportSecretHex());
            Assert.Equal(1, exit);
            Assert.Contains(NostrErrorCodes.KeyExists, error);
        }

        using (var home = new TempDirectory("cli-key"))
        {
            Assert.Equal(0, (await RunAsync(home.Path, Nip19.EncodeNsec(key) + "\n", "key", "import", "-")).Exit);
            Assert.Equal(key.PublicKeyHex, NostrKeyStore.Load(home.Path).PublicKeyHex);
        }
    }

    [Fact]
    public async Task ImportRefusesBadInputWithoutEchoingIt()
    {
        using var home = new TempDirectory("cli-key");
        var npub = Nip19.EncodeNpub(NostrKeyPair.Generate().PublicKeyHex);
        var (exit, _, error) = await RunAsync(home.Path, string.Empty, "key", "import", npub);
        Assert.Equal(1, exit);
        Assert.Contains(NostrErrorCodes.InvalidSecretKey, error);
        Assert.Contains("npub", error);

        var almost = new string('7', 63) + "g";
        (exit, _, error) = await RunAsync(home.Path, string.Empty, "key", "import", almost);
        Assert.Equal(1, exit);
        Assert.Contains(NostrErrorCodes.InvalidSecretKey, error);
        Assert.DoesNotContain(almost, error);
        Assert.False(NostrKeyStore.Exists(home.Path));
    }

    [Fact]
    public async Task ShowWithoutAKeySaysHowToMakeOne()
    {
        using var home = new TempDirectory("cli-key");
        var (exit, _, error) = await RunAsync(home.Path, string.Empty, "key", "show");
        Assert.Equal(1, exit);
        Assert.Contains(NostrErrorCodes.KeyNotFound, error);
        Assert.Contains("dsrs key new", error);
    }
}
