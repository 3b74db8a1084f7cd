using System.Net;
using System.Net.Sockets;
using ManifestBuild.Agent.Market;
using ManifestBuild.Agent.Tests.Support;
using ManifestBuild.Evaluation.Running;
using ManifestBuild.Evaluation.Tests;
using ManifestBuild.Format;
using ManifestBuild.Lightning.Payments;
using ManifestBuild.Market.Buying;
using ManifestBuild.Runtime;

namespace ManifestBuild.Agent.Tests.Market;

/// <summary>AgentMarket against the embedded relay, the real seller and dev nodes on loopback.</summary>
public sealed class AgentMarketTests
{
    private const long Price = 100_000;

    [Fact]
    public async Task Acquire_pays_once_applies_at_once_and_another_process_on_the_home_pays_nothing()
    {
        await using var world = await AgentWorld.StartAsync();
        var (json, id) = AgentWorld.Manifest("Classify the complexity of scientific Python tasks.", "scientific", "python");
        var (otherJson, otherId) = AgentWorld.Manifest("A weaker classifier.", 0.8, "scientific");
        await world.Market.SellAsync((json, id, Price));
        world.Market.List(otherJson, 50_000);

        AgentAcquisition got;
        await using (var market = world.Open())
        {
            got = await market.AcquireAsync(new AgentQuery { Family = "complexity", Domains = ["scientific"], ValueEstimateMsat = 500_000 });
        }

        Assert.Equal(id, got.CompiledId);
        Assert.Equal(Price, got.PaidMsat);
        Assert.Equal(AcquireSource.Purchase, got.Source);
        Assert.Equal(1, world.Market.Payments);
        Assert.Equal(PurchaseState.Delivered, Assert.Single(world.Ledger.List()).State);
        Assert.Contains("it beat " + otherId[..12], got.Explanation.Why);
        Assert.Equal(otherId, Assert.Single(got.Explanation.Losers).Listing.CompiledId);
        Assert.True(got.Explanation.Decision.Buy);
        Assert.Contains("below the value estimate", got.Explanation.Decision.Reason);
        Assert.Contains(world.Logs.Lines, l => l.Text.Contains("bought " + id[..12], StringComparison.Ordinal) && l.Text.Contains("100 sats", StringComparison.Ordinal));

        // Applied through an OpenAI-compatible server: the whole manifest's instruction (withheld in the listing) is in the prompt.
        await using var chat = await OpenAiLoopbackServer.StartAsync(null, (_, _) => new ServerReply.Answer("[[ ## complexity ## ]]\ncomplex\n\n[[ ## completed ## ]]"));
        using var client = ChatEndpoint.FromEnvironment(name => name == ChatEndpoint.BaseUrlVariable ? chat.BaseUrl.ToString() : name == ChatEndpoint.ModelVariable ? "loopback" : null).CreateClient(TimeSpan.FromSeconds(10));
        var values = await got.Signature.PredictAsync(client, new Dictionary<string, object?> { ["task"] = "Optimize DICOM parsing for large studies" });
        Assert.Equal("complex", values["complexity"]);
        Assert.Contains("Classify the complexity of scientific Python tasks.", Assert.Single(chat.Requests).System);

        // Another agent process on the same home: the cache answers, nothing is paid.
        await using var child = await AcquireHostProcess.StartAsync(world.Environment, world.Market.Relay.Url.ToString(), "complexity", "scientific", "1000000");
        await child.GoAsync();
        Assert.Equal($"DONE 0 Cache {id}", await child.ResultAsync());
        Assert.Equal(1, world.Market.Payments);
        Assert.Single(world.Ledger.List());
    }

    [Fact]
    public async Task Two_processes_racing_for_the_last_of_the_period_budget_exactly_one_pays_and_a_restart_cannot_spend_it_again()
    {
        await using var world = await AgentWorld.StartAsync();
        var a = AgentWorld.Manifest("Classify alpha tasks.", "alpha");
        var b = AgentWorld.Manifest("Classify beta tasks.", "beta");
        await world.Market.SellAsync((a.Json, a.CompiledId, 60_000), (b.Json, b.CompiledId, 60_000));
        var relay = world.Market.Relay.Url.ToString();

        await using var first = await AcquireHostProcess.StartAsync(world.Environment, relay, "complexity", "alpha", "100000");
        await using var second = await AcquireHostProcess.StartAsync(world.Environment, relay, "complexity", "beta", "100000");
        await Task.WhenAll(first.GoAsync(), second.GoAsync());
        var results = await Task.WhenAll(first.ResultAsync(), second.ResultAsync());

        Assert.Single(results, r => r.StartsWith("DONE 60000 Purchase ", StringComparison.Ordinal));
        Assert.Single(results, r => r.StartsWith("ERROR " + AgentErrorCodes.OverPeriodBudget + " ", StringComparison.Ordinal));
        Assert.Equal(1, world.Market.Payments);
        var record = Assert.Single(world.Ledger.List());

        // A restart on the same home sees the spend in the ledger: the other manifest still does not fit.
        var lost = record.CompiledId == a.CompiledId ? "beta" : "alpha";
        await using var market = world.Open(o => o with { Budget = new PeriodBudget(100_000, TimeSpan.FromDays(1)) });
        Assert.Equal(60_000, market.SpentThisPeriodMsat);
        var refused = await Assert.ThrowsAsync<DsrsException>(() => market.AcquireAsync(new AgentQuery { Family = "complexity", Domains = [lost] }));
        Assert.Equal(AgentErrorCodes.OverPeriodBudget, refused.Code);
        Assert.Equal(1, world.Market.Payments);
    }

    [Fact]
    public async Task A_rolling_period_frees_the_budget_once_the_payment_is_older_than_the_period()
    {
        await using var world = await AgentWorld.StartAsync();
        var a = AgentWorld.Manifest("Classify alpha tasks.", "alpha");
        var b = AgentWorld.Manifest("Classify beta tasks.", "beta");
        await world.Market.SellAsync((a.Json, a.CompiledId, 60_000), (b.Json, b.CompiledId, 60_000));
        var budget = new PeriodBudget(100_000, TimeSpan.FromDays(1));
        await using (var market = world.Open(o => o with { Budget = budget }))
        {
            await market.AcquireAsync(new AgentQuery { Family = "complexity", Domains = ["alpha"] });
            var refused = await Assert.ThrowsAsync<DsrsException>(() => market.AcquireAsync(new AgentQuery { Family = "complexity", Domains = ["beta"] }));
            Assert.Equal(AgentErrorCodes.OverPeriodBudget, refused.Code);
        }

        var tomorrow = new ShiftedTime(TimeSpan.FromHours(25));
        await using (var market = world.Open(o => o with { Budget = budget, Time = tomorrow }))
        {
            Assert.Equal(0, market.SpentThisPeriodMsat);
            Assert.Equal(60_000, (await market.AcquireAsync(new AgentQuery { Family = "complexity", Domains = ["beta"] })).PaidMsat);
        }

        Assert.Equal(2, world.Market.Payments);
    }

    [Fact]
    public void Periods_roll_or_start_at_utc_midnight()
    {
        var now = new DateTimeOffset(2026, 12, 1, 13, 30, 0, TimeSpan.Zero);
        Assert.Equal(now.AddDays(-1), PeriodBudget.SatsPerDay(2000).PeriodStart(now));
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero), PeriodBudget.SatsPerDay(2000, BudgetPeriodKind.Calendar).PeriodStart(now));
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 13, 0, 0, TimeSpan.Zero), new PeriodBudget(1, TimeSpan.FromHours(1), BudgetPeriodKind.Calendar).PeriodStart(now));
        Assert.Equal(2_000_000, PeriodBudget.SatsPerDay(2000).LimitMsat);
        Assert.Equal(AgentErrorCodes.InvalidAgentOptions, Assert.Throws<DsrsException>(() => new PeriodBudget(-1, TimeSpan.FromDays(1))).Code);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task No_pay_refuses_a_paid_listing_with_a_code_leaves_the_ledger_untouched_and_never_calls_the_node(bool fromEnvironment)
    {
        await using var world = await AgentWorld.StartAsync();
        var (json, id) = AgentWorld.Manifest("Classify.", "scientific");
        await world.Market.SellAsync((json, id, Price));
        using var node = new CountingListener();
        world.Environment["DSRS_NODE"] = node.ConnectionString;
        if (fromEnvironment)
        {
            world.Environment[AgentMarketOptions.NoPayVariable] = "1";
        }

        await using var market = world.Open(o => o with { NoPay = !fromEnvironment, Policy = PurchasePolicy.From(_ => PurchaseDecision.Purchase("always")) });
        Assert.True(market.NoPay);
        var refused = await Assert.ThrowsAsync<DsrsException>(() => market.AcquireAsync(new AgentQuery { Family = "complexity", Domains = ["scientific"] }));

        Assert.Equal(AgentErrorCodes.NoPay, refused.Code);
        Assert.Empty(world.Ledger.List());
        Assert.False(Directory.Exists(world.Ledger.Directory) && Directory.EnumerateFiles(world.Ledger.Directory, "*.json").Any());
        Assert.Equal(0, node.Accepted);
        Assert.Equal(0, world.Market.Server.InvoicesCreated);
        Assert.Equal(0, world.Market.Payments);
        Assert.Contains(world.Logs.Lines, l => l.Text.Contains(AgentErrorCodes.NoPay, StringComparison.Ordinal));
    }

    [Fact]
    public async Task No_pay_still_takes_a_manifest_the_home_already_holds()
    {
        await using var world = await AgentWorld.StartAsync();
        var (json, id) = AgentWorld.Manifest("Classify.", "scientific");
        await world.Market.SellAsync((json, id, Price));
        await using (var buyer = world.Open())
        {
            await buyer.AcquireAsync(new AgentQuery { Family = "complexity", Domains = ["scientific"] });
        }

        world.Environment[AgentMarketOptions.NoPayVariable] = "1";
        await using var market = world.Open();
        var got = await market.AcquireAsync(new AgentQuery { Family = "complexity", Domains = ["scientific"] });
        Assert.Equal(0, got.PaidMsat);
        Assert.Equal(AcquireSource.Cache, got.Source);
        Assert.Equal(1, world.Market.Payments);
    }

    [Fact]
    public async Task A_policy_that_skips_is_given_the_listing_reputation_and_value_and_nothing_is_paid()
    {
        await using var world = await AgentWorld.StartAsync();
        var (json, id) = AgentWorld.Manifest("Classify.", "scientific");
        await world.Market.SellAsync((json, id, Price));
        PurchaseCandidate? seen = null;
        await using var market = world.Open(o => o with { Policy = PurchasePolicy.From(c => { seen = c; return PurchaseDecision.Skip("the caller's own rule says no"); }) });

        var refused = await Assert.ThrowsAsync<DsrsException>(() => market.AcquireAsync(new AgentQuery { Family = "complexity", Domains = ["scientific"], ValueEstimateMsat = 420_000 }));

        Assert.Equal(AgentErrorCodes.PolicySkipped, refused.Code);
        Assert.Contains("the caller's own rule says no", refused.Message);
        Assert.Equal(id, seen!.Listing.CompiledId);
        Assert.Equal(420_000, seen.ValueEstimateMsat);
        Assert.Equal(1_000_000, seen.RemainingBudgetMsat);
        Assert.Equal(0, seen.SellerReputation.VerifiedCount);
        Assert.Empty(world.Ledger.List());
        Assert.Equal(0, world.Market.Payments);
        Assert.Contains(world.Logs.Lines, l => l.Text.Contains("the caller's own rule says no", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_default_policy_skips_a_price_not_below_the_value_estimate_or_a_seller_under_the_rating_floor()
    {
        await using var world = await AgentWorld.StartAsync();
        var (json, id) = AgentWorld.Manifest("Classify.", "scientific");
        await world.Market.SellAsync((json, id, Price));
        await using (var market = world.Open())
        {
            var refused = await Assert.ThrowsAsync<DsrsException>(() => market.AcquireAsync(new AgentQuery { Family = "complexity", Domains = ["scientific"], ValueEstimateMsat = 100_000 }));
            Assert.Equal(AgentErrorCodes.PolicySkipped, refused.Code);
            Assert.Contains("not below the caller's value estimate of 100 sats", refused.Message);
        }

        await using (var market = world.Open(o => o with { MinVerifiedRating = 4 }))
        {
            var refused = await Assert.ThrowsAsync<DsrsException>(() => market.AcquireAsync(new AgentQuery { Family = "complexity", Domains = ["scientific"] }));
            Assert.Equal(AgentErrorCodes.PolicySkipped, refused.Code);
            Assert.Contains("no verified review", refused.Message);
        }

        Assert.Equal(0, world.Market.Payments);
        Assert.Empty(world.Ledger.List());
    }

    [Fact]
    public async Task The_per_purchase_maximum_holds_whatever_the_policy_says()
    {
        await using var world = await AgentWorld.StartAsync();
        var (json, id) = AgentWorld.Manifest("Classify.", "scientific");
        await world.Market.SellAsync((json, id, Price));
        await using var market = world.Open(o => o with { MaxPricePerPurchaseMsat = 99_000, Policy = PurchasePolicy.From(_ => PurchaseDecision.Purchase("always")) });

        var refused = await Assert.ThrowsAsync<DsrsException>(() => market.AcquireAsync(new AgentQuery { Family = "complexity", Domains = ["scientific"] }));

        Assert.Equal(AgentErrorCodes.OverPurchaseMaximum, refused.Code);
        Assert.Equal(0, world.Market.Payments);
        Assert.Empty(world.Ledger.List());
    }

    [Fact]
    public async Task No_secret_reaches_the_log_neither_the_node_macaroon_nor_a_token_or_preimage()
    {
        await using var world = await AgentWorld.StartAsync();
        var paid = AgentWorld.Manifest("Classify alpha tasks.", "alpha");
        var failing = AgentWorld.Manifest("Classify beta tasks.", "beta");
        await world.Market.SellAsync((paid.Json, paid.CompiledId, 60_000), (failing.Json, failing.CompiledId, 60_000));
        await using (var market = world.Open())
        {
            await market.AcquireAsync(new AgentQuery { Family = "complexity", Domains = ["alpha"] });
        }

        // The same purchase through an LND node whose connection string carries a macaroon: it fails at the node.
        using var node = new CountingListener();
        world.Environment["DSRS_NODE"] = node.ConnectionString;
        await using (var market = world.Open())
        {
            await Assert.ThrowsAnyAsync<Exception>(() => market.AcquireAsync(new AgentQuery { Family = "complexity", Domains = ["beta"] }));
        }

        var record = Assert.Single(world.Ledger.List(), r => r.CompiledId == paid.CompiledId);
        var logs = world.Logs.All;
        Assert.True(node.Accepted > 0, "the node was not called; the log:\n" + logs);
        Assert.Contains("failed", logs);
        Assert.DoesNotContain(CountingListener.Macaroon, logs, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(record.Preimage!, logs, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(record.Token, logs, StringComparison.Ordinal);
    }

    /// <summary>A clock some hours ahead of the real one.</summary>
    private sealed class ShiftedTime(TimeSpan ahead) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + ahead;
    }

    /// <summary>
    /// A TCP port on 127.0.0.1 named as an LND REST node with an inline macaroon: it counts connections
    /// and closes them (no TLS), so a node call fails after reaching it, and "never called" is countable.
    /// </summary>
    private sealed class CountingListener : IDisposable
    {
        public const string Macaroon = "0201036c6e640258030a10b3f1a9c4d2e6f70812233445566778899aabbccdd0";

        private readonly TcpListener listener = new(IPAddress.Loopback, 0);
        private readonly Task loop;
        private int accepted;

        public CountingListener()
        {
            listener.Start();
            loop = Task.Run(async () =>
            {
                while (true)
                {
                    try
                    {
                        using var socket = await listener.AcceptSocketAsync();
                        Interlocked.Increment(ref accepted);
                    }
                    catch (Exception e) when (e is SocketException or ObjectDisposedException)
                    {
                        return;
                    }
                }
            });
        }

        public int Accepted => Volatile.Read(ref accepted);

        public string ConnectionString => $"type=lnd-rest;server=http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port};macaroon={Macaroon}";

        public void Dispose()
        {
            listener.Stop();
            loop.Wait(TimeSpan.FromSeconds(5));
        }
    }
}
