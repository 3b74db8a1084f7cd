using System.Diagnostics;
using ManifestBuild.Nostr;
using ManifestBuild.Nostr.Relays;
using NBitcoin.Secp256k1;

namespace ManifestBuild.Bench.Figures;

/// <summary>
/// Figure 1: listings fetched from a local relay holding 10,000 listings and verified (id + BIP-340)
/// per second through the relay pool on every core, next to nostr-tools' verifyEvent on the same
/// events and NBitcoin.Secp256k1's raw verify rate times the cores (our dependency's ceiling).
/// </summary>
public sealed class EventIngestFigure : IFigure
{
    public string Name => "ingest";

    public string Title => "event ingest through the relay pool";

    public async Task<IReadOnlyList<Row>> RunAsync(BenchOptions options, CancellationToken cancellationToken)
    {
        var count = options.Size(10_000, 1_000);
        var events = Listings.Create(count, sellers: 100);

        // The relay runs in a process of its own, as a real one would: the two cores are shared,
        // the relay's work and garbage are not the measured client's.
        await using var relay = await RelayProcess.StartAsync(events, Path.Combine(options.WorkDirectory, "ingest-relay"), count, cancellationToken);

        var cores = Environment.ProcessorCount;
        // Best of several rounds: a round takes under a second, and a shared machine's hiccups only
        // ever make one slower.
        var rounds = options.Size(8, 2);
        var batched = await PoolRateAsync(relay.Url, count, cores, batchVerification: true, rounds, cancellationToken);
        var oneByOne = await PoolRateAsync(relay.Url, count, cores, batchVerification: false, rounds, cancellationToken);
        var rawRate = RawVerifyRate(events, TimeSpan.FromSeconds(options.Size(2.0, 0.5)));
        var nodeRate = await NostrToolsRateAsync(events, options, cancellationToken);

        // Clients that fetch and verify, from the same relay process: what a JavaScript or Rust
        // client of the same relay gets, with connection, REQ, transfer, parsing and verification counted.
        var simplePool = await FetchingPeerRateAsync("bench-nostr-tools-pool.mjs", relay.Url, count, rounds, cancellationToken);
        var rustNostr = await FetchingPeerRateAsync("bench-rust-nostr-fetch.mjs", relay.Url, count, rounds, cancellationToken);
        var (strongest, strongestRate) = simplePool >= rustNostr ? ("nostr-tools SimplePool", simplePool) : ("rust-nostr Client (wasm)", rustNostr);
        return
        [
            new Row(Name, $"pool: {count} listings fetched + verified", batched, "events/s", "nostr-tools verifyEvent (node, 1 thread)", nodeRate, ">= 10x"),
            new Row(Name, "pool vs the faster fetching client", batched, "events/s", $"{strongest}: same relay, REQ to EOSE, verified", strongestRate, ">= 3x"),
            new Row(Name, "nostr-tools SimplePool (nostr-tools " + PinnedVersion("nostr-tools") + ")", simplePool, "events/s"),
            new Row(Name, "rust-nostr Client (@rust-nostr/nostr-sdk " + PinnedVersion("@rust-nostr/nostr-sdk") + ")", rustNostr, "events/s"),
            new Row(Name, "pool vs dependency ceiling", batched, "events/s", $"raw BIP-340 verify x {cores} cores", rawRate * cores, ">= 0.80x"),
            new Row(Name, "pool, batch verification off", oneByOne, "events/s", $"raw BIP-340 verify x {cores} cores", rawRate * cores),
            new Row(Name, "raw NBitcoin.Secp256k1 verify, 1 thread", rawRate, "events/s"),
        ];
    }

    /// <summary>The best of several rounds, each with a fresh pool: connection, REQ, transfer, parsing and verification all count.</summary>
    private static async Task<double> PoolRateAsync(Uri relay, int count, int cores, bool batchVerification, int rounds, CancellationToken cancellationToken)
    {
        var filter = new NostrFilter { Kinds = [31990], Limit = count };
        var best = double.MaxValue;
        for (var round = 0; round < rounds; round++)
        {
            await using var pool = new RelayPool([relay], new RelayPoolOptions { VerifyParallelism = cores, BatchVerification = batchVerification });
            var clock = Stopwatch.StartNew();
            var result = await pool.QueryAsync([filter], TimeSpan.FromMinutes(2), cancellationToken);
            var seconds = clock.Elapsed.TotalSeconds;
            if (result.Events.Count != count)
            {
                throw new InvalidOperationException($"the pool returned {result.Events.Count} of {count} listings: {string.Join("; ", result.Relays)}");
            }

            best = Math.Min(best, seconds);
        }

        return count / best;
    }

    /// <summary>Single-thread SigVerifyBIP340 over the events' ids, keys parsed once per seller (as the pool caches them).</summary>
    private static double RawVerifyRate(NostrEvent[] events, TimeSpan budget)
    {
        var keys = new Dictionary<string, ECXOnlyPubKey>();
        var prepared = events.Select(e =>
        {
            if (!keys.TryGetValue(e.PubKey, out var key))
            {
                key = ECXOnlyPubKey.Create(Convert.FromHexString(e.PubKey));
                keys[e.PubKey] = key;
            }

            return (Key: key, Sig: Convert.FromHexString(e.Sig), Message: Convert.FromHexString(e.Id));
        }).ToArray();
        var clock = Stopwatch.StartNew();
        var verified = 0L;
        do
        {
            foreach (var (key, sig, message) in prepared)
            {
                if (!SecpSchnorrSignature.TryCreate(sig, out var signature) || !key.SigVerifyBIP340(signature, message))
                {
                    throw new InvalidOperationException("a generated listing did not verify");
                }

                verified++;
                if ((verified & 255) == 0 && clock.Elapsed > budget)
                {
                    break;
                }
            }
        }
        while (clock.Elapsed < budget);
        return verified / clock.Elapsed.TotalSeconds;
    }

    /// <summary>A node peer that fetches all listings from the relay (best of rounds, fresh client each) and prints "received seconds".</summary>
    private static async Task<double> FetchingPeerRateAsync(string script, Uri relay, int count, int rounds, CancellationToken cancellationToken)
    {
        var output = await Peers.RunNodeAsync(script, [relay.AbsoluteUri, count.ToString(System.Globalization.CultureInfo.InvariantCulture), rounds.ToString(System.Globalization.CultureInfo.InvariantCulture)], cancellationToken);
        var parts = output.Trim().Split(' ');
        if (parts.Length != 2 || parts[0] != count.ToString(System.Globalization.CultureInfo.InvariantCulture))
        {
            throw new InvalidOperationException($"{script} did not fetch every listing: {output}");
        }

        return count / double.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The version tests/interop/package.json pins, for the row's label.</summary>
    private static string PinnedVersion(string package)
    {
        var json = Format.Json.JsonParser.ParseObject(File.ReadAllText(Path.Combine(Peers.Interop, "package.json")));
        return (json["dependencies"] as Format.Json.JsonObject)?.GetString(package) ?? "?";
    }

    private static async Task<double> NostrToolsRateAsync(NostrEvent[] events, BenchOptions options, CancellationToken cancellationToken)
    {
        var file = Path.Combine(options.WorkDirectory, "listings.json");
        await File.WriteAllTextAsync(file, "[" + string.Join(",", events.Select(NostrJson.SerializeEvent)) + "]", cancellationToken);
        var output = await Peers.RunNodeAsync("bench-nostr-tools-verify.mjs", [file, options.Size("3", "0.5")], cancellationToken);
        var parts = output.Trim().Split(' ');
        if (parts.Length != 3 || parts[2] != "0")
        {
            throw new InvalidOperationException("nostr-tools did not verify every listing: " + output);
        }

        return double.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture) / double.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture);
    }
}
