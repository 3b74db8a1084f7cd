using System.Diagnostics;
using System.Security.Cryptography;
using ManifestBuild.Lightning.Dev;
using ManifestBuild.Lightning.Payments;
using ManifestBuild.Lightning.Tests.SpecFakes;
using ManifestBuild.TestSupport;

namespace ManifestBuild.Lightning.Tests.Payments;

/// <summary>
/// Runs a purchase in a child process (PurchaseHost), SIGKILLs it at each durable step, reruns it, and
/// checks the purchase completes with exactly one payment reaching the seller's dev node.
/// </summary>
public sealed class PurchaseCrashTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Theory]
    [InlineData("RecordWritten")]
    [InlineData("NodeReturned")]
    [InlineData("PreimageStored")]
    [InlineData("BeforeDelivery")]
    public async Task Killed_at_any_step_a_rerun_finishes_with_exactly_one_payment(string killAt)
    {
        using var home = new TempDirectory("crash");
        var devnet = home.Combine("devnet");
        var seller = DevNode.Open("seller", devnet);
        var compiledId = Convert.ToHexString(RandomNumberGenerator.GetBytes(32)).ToLowerInvariant();
        var invoice = await seller.CreateInvoiceAsync(25_000, "dsrs manifest " + compiledId, TimeSpan.FromMinutes(10), default);
        string[] args = [home.Path, devnet, "buyer", invoice.Bolt11, compiledId, "25000", seller.NodeId, "tok"];

        await using (var child = Child.Start([.. args, "--pause"]))
        {
            await child.RunUntilAsync(killAt);
            child.Kill();
        }

        // What the crash left behind: the record is durable from before the node was called.
        var expected = killAt is "RecordWritten" or "NodeReturned" ? PurchaseState.Paying : PurchaseState.Paid;
        Assert.Equal(expected, PurchaseLedger.ForHome(home.Path).Find(invoice.PaymentHashHex)!.State);
        Assert.Equal(killAt == "RecordWritten" ? 0 : 1, seller.CountPaymentAttempts(invoice.PaymentHashHex));

        await using (var rerun = Child.Start([.. args, "--pause"]))
        {
            var done = await rerun.RunToEndAsync();
            Assert.StartsWith("DONE " + invoice.PaymentHashHex, done);
        }

        Assert.Equal(1, seller.CountPaymentAttempts(invoice.PaymentHashHex));
        Assert.Single(seller.ListSettledInvoices());
        var record = PurchaseLedger.ForHome(home.Path).Find(invoice.PaymentHashHex)!;
        Assert.Equal(PurchaseState.Delivered, record.State);
        Assert.Equal(seller.LookupInvoice(invoice.PaymentHashHex)!.Preimage, record.Preimage);
    }

    public static TheoryData<string, string> NodeTypesAndSteps()
    {
        var data = new TheoryData<string, string>();
        foreach (var type in SpecWorld.NodeTypes)
        {
            foreach (var step in new[] { "RecordWritten", "NodeReturned", "PreimageStored" })
            {
                data.Add(type, step);
            }
        }

        return data;
    }

    /// <summary>The same crash, buying through each real node type's spec fake instead of a dev node.</summary>
    [Theory]
    [MemberData(nameof(NodeTypesAndSteps))]
    public async Task Killed_mid_purchase_through_any_node_type_a_rerun_recovers_by_lookup_with_exactly_one_payment(string type, string killAt)
    {
        await using var world = await SpecWorld.StartAsync(type);
        var compiledId = Convert.ToHexString(RandomNumberGenerator.GetBytes(32)).ToLowerInvariant();
        var invoice = await world.Seller.CreateInvoiceAsync(25_000, "dsrs manifest " + compiledId, TimeSpan.FromMinutes(10), default);
        string[] args = [world.Home, world.Devnet, "node=" + world.Server.ConnectionString, invoice.Bolt11, compiledId, "25000", world.Seller.NodeId, "tok", "--pause"];

        await using (var child = Child.Start(args))
        {
            await child.RunUntilAsync(killAt);
            child.Kill();
        }

        Assert.Equal(killAt == "RecordWritten" ? 0 : 1, world.Seller.CountPaymentAttempts(invoice.PaymentHashHex));
        await using (var rerun = Child.Start(args))
        {
            Assert.StartsWith("DONE " + invoice.PaymentHashHex, await rerun.RunToEndAsync());
        }

        Assert.Equal(1, world.Seller.CountPaymentAttempts(invoice.PaymentHashHex));
        Assert.Equal(world.Seller.LookupInvoice(invoice.PaymentHashHex)!.Preimage, PurchaseLedger.ForHome(world.Home).Find(invoice.PaymentHashHex)!.Preimage);
    }

    [Fact]
    public async Task Two_processes_buying_the_same_manifest_pay_once()
    {
        using var home = new TempDirectory("crash");
        var devnet = home.Combine("devnet");
        var seller = DevNode.Open("seller", devnet);
        var compiledId = Convert.ToHexString(RandomNumberGenerator.GetBytes(32)).ToLowerInvariant();
        var first = await seller.CreateInvoiceAsync(25_000, "dsrs manifest " + compiledId, TimeSpan.FromMinutes(10), default);
        var second = await seller.CreateInvoiceAsync(25_000, "dsrs manifest " + compiledId, TimeSpan.FromMinutes(10), default);

        await using var a = Child.Start([home.Path, devnet, "buyer", first.Bolt11, compiledId, "25000", seller.NodeId, "tok-a", "--pause"]);
        await a.RunUntilAsync("RecordWritten"); // a now holds the purchase lock, mid-purchase
        await using var b = Child.Start([home.Path, devnet, "buyer", second.Bolt11, compiledId, "25000", seller.NodeId, "tok-b", "--pause"]);
        await b.WaitForLineAsync("STARTED");

        var doneA = await a.RunToEndAsync(alreadyAt: "RecordWritten");
        var doneB = await b.RunToEndAsync();

        Assert.Equal($"DONE {first.PaymentHashHex} paid", doneA);
        Assert.Equal($"DONE {first.PaymentHashHex} already-paid", doneB);
        Assert.Equal(1, seller.CountPaymentAttempts(first.PaymentHashHex));
        Assert.Equal(0, seller.CountPaymentAttempts(second.PaymentHashHex));
    }

    /// <summary>A PurchaseHost child whose stdout is read line by line and whose stdin answers its pauses.</summary>
    private sealed class Child : IAsyncDisposable
    {
        private readonly Process process;

        private Child(Process process) => this.process = process;

        public static Child Start(string[] args)
        {
            var psi = new ProcessStartInfo("dotnet")
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "ManifestBuild.Lightning.PurchaseHost.dll"));
            foreach (var arg in args)
            {
                psi.ArgumentList.Add(arg);
            }

            var process = Process.Start(psi)!;
            process.ErrorDataReceived += (_, _) => { };
            process.BeginErrorReadLine();
            return new Child(process);
        }

        /// <summary>Answers every pause until the child announces the given step (left paused there).</summary>
        public async Task RunUntilAsync(string step)
        {
            while (true)
            {
                var line = await ReadLineAsync();
                if (line == "STEP " + step)
                {
                    return;
                }

                await AnswerAsync(line);
            }
        }

        public async Task WaitForLineAsync(string expected)
        {
            var line = await ReadLineAsync();
            Assert.Equal(expected, line);
        }

        /// <summary>Answers every pause (and the one it is already paused at) until DONE or ERROR; returns that line.</summary>
        public async Task<string> RunToEndAsync(string? alreadyAt = null)
        {
            if (alreadyAt is not null)
            {
                await process.StandardInput.WriteLineAsync("go");
                await process.StandardInput.FlushAsync();
            }

            while (true)
            {
                var line = await ReadLineAsync();
                if (line.StartsWith("DONE ", StringComparison.Ordinal) || line.StartsWith("ERROR ", StringComparison.Ordinal))
                {
                    return line;
                }

                await AnswerAsync(line);
            }
        }

        /// <summary>SIGKILL: no finally blocks, no flushes, exactly like a crash.</summary>
        public void Kill()
        {
            process.Kill();
            process.WaitForExit((int)Timeout.TotalMilliseconds);
        }

        public ValueTask DisposeAsync()
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            process.Dispose();
            return ValueTask.CompletedTask;
        }

        private async Task AnswerAsync(string line)
        {
            if (line.StartsWith("STEP ", StringComparison.Ordinal))
            {
                await process.StandardInput.WriteLineAsync("go");
                await process.StandardInput.FlushAsync();
            }
        }

        private async Task<string> ReadLineAsync()
        {
            using var cts = new CancellationTokenSource(Timeout);
            var line = await process.StandardOutput.ReadLineAsync(cts.Token);
            return line ?? throw new InvalidOperationException($"the purchase host exited (code {(process.HasExited ? process.ExitCode : -1)}) before saying what the test waited for");
        }
    }
}
