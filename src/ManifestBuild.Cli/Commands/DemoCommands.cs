using System.CommandLine;
using System.Diagnostics;
using ManifestBuild.Format;
using ManifestBuild.Format.Json;
using ManifestBuild.Lightning.Dev;
using ManifestBuild.Market.Listings;
using ManifestBuild.Nostr;
using ManifestBuild.Relay;
using ManifestBuild.Seller;

namespace ManifestBuild.Cli;

/// <summary>
/// `dsrs demo`: the whole story on one machine (samples/demo.sh packs the packages first). In this
/// process: the embedded relay, a seller dev node and the L402 endpoint on 127.0.0.1, the sample
/// manifests published (the complexity one paid, the others free). Then, as separate processes as a
/// user would run them: `dotnet build` of a copy of the sample agent (it searches, pays from the
/// buyer's dev node, verifies, caches and locks) and the agent itself. Everything stops at the end.
/// </summary>
public static partial class Program
{
    private const long DemoPriceMsat = 50_000;

    static partial void AddDemoCommands(RootCommand root, CliContext context)
    {
        var work = new Option<DirectoryInfo>("--work") { Description = "Folder for everything the demo writes (homes, ledger, the agent copy).", Required = true };
        var feed = new Option<DirectoryInfo>("--feed") { Description = "Folder feed holding the packed ManifestBuild packages.", Required = true };
        var version = new Option<string>("--version") { Description = "The ManifestBuild package version in the feed.", Required = true };
        var sample = new Option<DirectoryInfo>("--sample") { Description = "The sample agent project folder (copied, never modified).", Required = true };
        var sellerManifests = new Option<DirectoryInfo>("--seller-manifests") { Description = "Manifests the demo seller publishes (*.json).", Required = true };
        var command = new Command("demo", "Run the ManifestBuild story locally: relay, seller, publish, build (buy + lock) and run the sample agent.");
        command.Options.Add(work);
        command.Options.Add(feed);
        command.Options.Add(version);
        command.Options.Add(sample);
        command.Options.Add(sellerManifests);
        command.SetAction(async (ParseResult r, CancellationToken ct) => await RunDemoAsync(
            context,
            r.GetValue(work)!.FullName,
            r.GetValue(feed)!.FullName,
            r.GetValue(version)!,
            r.GetValue(sample)!.FullName,
            r.GetValue(sellerManifests)!.FullName,
            ct));
        root.Subcommands.Add(command);
    }

    private static async Task<int> RunDemoAsync(CliContext context, string work, string feed, string version, string sample, string sellerManifests, CancellationToken ct)
    {
        var devnet = Path.Combine(work, "devnet");
        var forSale = Path.Combine(work, "for-sale");
        Directory.CreateDirectory(forSale);

        await using var relay = await EmbeddedRelay.StartAsync(new EmbeddedRelayOptions { Port = 0 }, ct);
        await context.Out.WriteLineAsync($"demo: relay listening on {relay.Url}");
        await using var sellerNode = DevNode.Open("seller", devnet);
        var sellerKey = NostrKeyPair.Generate();

        // Seal each manifest's compiled_id; the complexity one is sold, the others are listed free.
        var manifests = Directory.GetFiles(sellerManifests, "*.json").Order(StringComparer.Ordinal).Select(Manifest.Load).ToList();
        var prices = new Dictionary<string, long>();
        foreach (var manifest in manifests)
        {
            var id = manifest.SealCompiledId();
            if (manifest.Family == "complexity")
            {
                prices[id] = DemoPriceMsat;
                manifest.Save(Path.Combine(forSale, id + ".json"));
            }
        }

        await using var seller = await SellerServer.StartAsync(new SellerServerOptions { ManifestsDirectory = forSale, Node = sellerNode, Home = Path.Combine(work, "seller-home"), Prices = prices }, ct);
        await context.Out.WriteLineAsync($"demo: seller {sellerKey.PublicKeyHex[..12]} serving L402 on {seller.Url} (dev node {sellerNode.NodeId[..12]})");
        foreach (var manifest in manifests)
        {
            var id = manifest.CompiledId!;
            var price = prices.GetValueOrDefault(id);
            var options = price > 0 ? new ListingOptions { PriceMsat = price, L402Url = seller.ManifestUrl(id), NodeIdHex = sellerNode.NodeId } : new ListingOptions();
            var listing = ListingBuilder.BuildSigned(manifest.Json, options, sellerKey);
            var published = relay.Publish(listing);
            if (!published.Accepted)
            {
                throw new DsrsException(CliErrorCodes.DemoFailed, $"the demo relay refused the listing of {manifest.SignatureName}: {published.Message}");
            }

            await context.Out.WriteLineAsync($"demo: published {manifest.SignatureName} {id[..12]} ({(price > 0 ? price + " msat" : "free")})");
        }

        // The agent is built from a copy, so the repository's sample keeps no lockfile, obj or bin.
        var agent = CopySample(sample, Path.Combine(work, "agent"));
        var environment = new Dictionary<string, string>
        {
            ["DSRS_HOME"] = Path.Combine(work, "buyer-home"),
            ["DSRS_NODE"] = $"type=dev;name=buyer;ledger={devnet}",
        };
        var project = Directory.GetFiles(agent, "*.csproj").Single();
        await context.Out.WriteLineAsync($"demo: dotnet build {Path.GetFileName(project)} (searches, selects, pays, verifies, caches, locks)");
        var build = await RunChildAsync(context, agent, environment, ct, "build", project, "-nodeReuse:false", "-v:n", "-clp:NoSummary",
            "-p:ManifestBuildVersion=" + version, "-p:RestoreAdditionalProjectSources=" + feed, "-p:DsrsRelays=" + relay.Url.ToString().TrimEnd('/'));
        if (build != 0)
        {
            return build;
        }

        await context.Out.WriteLineAsync($"demo: seller node settled {sellerNode.ListSettledInvoices().Count} invoice(s); lockfile {Path.Combine(agent, "dsrs.lock.json")}:");
        await context.Out.WriteAsync(await File.ReadAllTextAsync(Path.Combine(agent, "dsrs.lock.json"), ct));
        await context.Out.WriteLineAsync("demo: running the agent");
        var dll = Path.Combine(agent, "bin", "Debug", "net10.0", Path.GetFileNameWithoutExtension(project) + ".dll");
        return await RunChildAsync(context, agent, environment, ct, dll);
    }

    private static string CopySample(string sample, string target)
    {
        if (Directory.Exists(target))
        {
            Directory.Delete(target, recursive: true);
        }

        Directory.CreateDirectory(target);
        foreach (var file in Directory.GetFiles(sample))
        {
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        }

        // The samples' build settings (no central versions, ManifestBuildVersion) sit one folder up.
        var parent = Path.GetDirectoryName(Path.GetFullPath(sample).TrimEnd(Path.DirectorySeparatorChar))!;
        foreach (var name in new[] { "Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props" })
        {
            var source = Path.Combine(parent, name);
            if (File.Exists(source))
            {
                File.Copy(source, Path.Combine(Path.GetDirectoryName(target)!, name), overwrite: true);
            }
        }

        return target;
    }

    private static async Task<int> RunChildAsync(CliContext context, string directory, IReadOnlyDictionary<string, string> environment, CancellationToken ct, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            psi.ArgumentList.Add(arg);
        }

        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        psi.Environment["DOTNET_NOLOGO"] = "1";
        psi.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        psi.Environment.Remove("DSRS_ARTIFACTS");
        foreach (var (key, value) in environment)
        {
            psi.Environment[key] = value;
        }

        var output = TextWriter.Synchronized(context.Out);
        using var process = Process.Start(psi) ?? throw new DsrsException(CliErrorCodes.DemoFailed, "could not start dotnet");
        async Task PumpAsync(StreamReader reader)
        {
            while (await reader.ReadLineAsync(ct) is { } line)
            {
                output.WriteLine("  " + line);
            }
        }

        try
        {
            await Task.WhenAll(PumpAsync(process.StandardOutput), PumpAsync(process.StandardError), process.WaitForExitAsync(ct));
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return process.ExitCode;
    }
}
