using System.CommandLine;
using System.Diagnostics;
using ManifestBuild.Cli.Presenters;
using ManifestBuild.Format;
using ManifestBuild.Format.Json;
using ManifestBuild.Format.Locking;
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
internal static class DemoCommands
{
    private const long DemoPriceMsat = 50_000;

    public static void AddTo(RootCommand root, CliContext context)
    {
        var work = new Option<DirectoryInfo>("--work") { Description = "Folder for everything the demo writes (homes, ledger, the agent copy).", Required = true };
        var feed = new Option<DirectoryInfo>("--feed") { Description = "Folder feed holding the packed ManifestBuild packages.", Required = true };
        var version = new Option<string>("--version") { Description = "The ManifestBuild package version in the feed.", Required = true };
        var sample = new Option<DirectoryInfo>("--sample") { Description = "The sample agent project folder (copied, never modified).", Required = true };
        var sellerManifests = new Option<DirectoryInfo>("--seller-manifests") { Description = "Manifests the demo seller publishes (*.json).", Required = true };
        var verbose = new Option<bool>("--verbose") { Description = "Show the agent build's whole output (normal verbosity) instead of its dsrs lines, errors and warnings." };
        var command = new Command("demo", "Run the ManifestBuild story locally: relay, seller, publish, build (buy + lock) and run the sample agent.");
        command.Options.Add(work);
        command.Options.Add(feed);
        command.Options.Add(version);
        command.Options.Add(sample);
        command.Options.Add(sellerManifests);
        command.Options.Add(verbose);
        command.SetAction(async (ParseResult r, CancellationToken ct) => await RunDemoAsync(
            context,
            new DemoSettings(r.GetValue(work)!.FullName, r.GetValue(feed)!.FullName, r.GetValue(version)!, r.GetValue(sample)!.FullName, r.GetValue(sellerManifests)!.FullName, r.GetValue(verbose)),
            ct));
        root.Subcommands.Add(command);
    }

    private sealed record DemoSettings(string Work, string Feed, string Version, string Sample, string SellerManifests, bool Verbose);

    private static async Task<int> RunDemoAsync(CliContext context, DemoSettings settings, CancellationToken ct)
    {
        var (work, feed, version, sample, sellerManifests, verbose) = settings;
        var devnet = Path.Combine(work, "devnet");
        var forSale = Path.Combine(work, "for-sale");
        Directory.CreateDirectory(forSale);

        await using var relay = await EmbeddedRelay.StartAsync(new EmbeddedRelayOptions { Port = 0 }, ct);
        await DemoPresenter.WriteStepAsync(context.Out, $"relay listening on {relay.Url}");
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
        await DemoPresenter.WriteStepAsync(context.Out, $"seller {Nip19.EncodeNpub(sellerKey.PublicKeyHex)[..20]}… serving L402 on {seller.Url} (dev node {sellerNode.NodeId[..12]})");
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

            await DemoPresenter.WriteStepAsync(context.Out, $"published {manifest.SignatureName} {id[..12]} ({(price > 0 ? price + " msat" : "free")})");
        }

        // The agent is built from a copy, so the repository's sample keeps no lockfile, obj or bin.
        var agent = CopySample(sample, Path.Combine(work, "agent"));
        var environment = new Dictionary<string, string>
        {
            ["DSRS_HOME"] = Path.Combine(work, "buyer-home"),
            ["DSRS_NODE"] = $"type=dev;name=buyer;ledger={devnet}",
        };
        var project = Directory.GetFiles(agent, "*.csproj").Single();
        await DemoPresenter.WriteStepAsync(context.Out, $"dotnet build {Path.GetFileName(project)}: restore, then the build searches, selects, pays, verifies, caches and locks (about a minute)");
        var build = await RunChildAsync(context, agent, environment, verbose ? null : DemoBuildLineWorthShowing, ct, "build", project, "-nodeReuse:false", verbose ? "-v:n" : "-v:m", "-clp:NoSummary",
            "-p:ManifestBuildVersion=" + version, "-p:RestoreAdditionalProjectSources=" + feed, "-p:DsrsRelays=" + relay.Url.ToString().TrimEnd('/'));
        if (build != 0)
        {
            await DemoPresenter.WriteStepAsync(context.Out, verbose ? "the build failed" : "the build failed; DEMO_VERBOSE=1 shows its whole output");
            return build;
        }

        var lockPath = Path.Combine(agent, LockFile.FileName);
        var locked = LockFile.Read(lockPath);
        await DemoPresenter.WriteStepAsync(context.Out, "running the agent");
        var dll = Path.Combine(agent, "bin", "Debug", "net10.0", Path.GetFileNameWithoutExtension(project) + ".dll");
        var ran = await RunChildAsync(context, agent, environment, null, ct, dll);

        await DemoPresenter.WriteSummaryAsync(context.Out, manifests, prices, relay.Url, locked, sellerNode.ListSettledInvoices().Count, lockPath, ran);
        return ran;
    }

    /// <summary>What a quiet demo shows of the build: ManifestBuild's own lines, errors and warnings.</summary>
    private static bool DemoBuildLineWorthShowing(string line) =>
        line.Contains("dsrs:", StringComparison.Ordinal) || line.Contains(": error ", StringComparison.Ordinal) || line.Contains(": warning ", StringComparison.Ordinal) || line.Contains("error:", StringComparison.Ordinal);

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

    /// <summary>Runs dotnet with the given arguments; <paramref name="show"/> null shows every line, else only those it accepts, with a progress line every 15 s.</summary>
    private static async Task<int> RunChildAsync(CliContext context, string directory, IReadOnlyDictionary<string, string> environment, Func<string, bool>? show, CancellationToken ct, params string[] args)
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
                if (show is null || show(line))
                {
                    output.WriteLine("  " + line.TrimEnd());
                }
            }
        }

        using var done = CancellationTokenSource.CreateLinkedTokenSource(ct);
        async Task TickAsync()
        {
            if (show is null)
            {
                return;
            }

            // The quiet build shows little, so say it is still working; ends when the process does.
            using var timer = new PeriodicTimer(TimeSpan.FromSeconds(15));
            var watch = Stopwatch.StartNew();
            try
            {
                while (await timer.WaitForNextTickAsync(done.Token))
                {
                    output.WriteLine($"  ... {(int)watch.Elapsed.TotalSeconds} s");
                }
            }
            catch (OperationCanceledException)
            {
                // The process ended (or the demo was cancelled): no more progress lines.
            }
        }

        var ticking = TickAsync();
        try
        {
            await Task.WhenAll(PumpAsync(process.StandardOutput), PumpAsync(process.StandardError), process.WaitForExitAsync(ct));
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        finally
        {
            await done.CancelAsync();
            await ticking;
        }

        return process.ExitCode;
    }
}
