using DicomAgent;
using ManifestBuild.Evaluation.Running;
using ManifestBuild.Evaluation.Tests;
using ManifestBuild.Market.Buying;
using ManifestBuild.TestSupport;

namespace ManifestBuild.Agent.Tests.Samples;

/// <summary>samples/DicomAgent run twice on one work folder, applying through an OpenAI-compatible loopback server.</summary>
public sealed class DicomAgentSampleTests
{
    [Fact]
    public async Task The_sample_buys_within_its_budget_and_applies_then_a_second_run_pays_nothing()
    {
        using var work = new TempDirectory("dsrs-dicom-agent");
        var sample = Path.Combine(RepoPaths.Root, "samples", "DicomAgent");
        await using var chat = await OpenAiLoopbackServer.StartAsync(null, (request, _) =>
            new ServerReply.Answer($"[[ ## complexity ## ]]\n{(request.LastUser.Contains("large studies", StringComparison.Ordinal) ? "complex" : "simple")}\n\n[[ ## completed ## ]]"));
        using var client = ChatEndpoint.FromEnvironment(name => name == ChatEndpoint.BaseUrlVariable ? chat.BaseUrl.ToString() : name == ChatEndpoint.ModelVariable ? "loopback" : null).CreateClient(TimeSpan.FromSeconds(10));
        using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(2));

        var firstOutput = new StringWriter();
        var first = await AgentRun.RunAsync(Path.Combine(sample, "fixture"), work.Path, Path.Combine(sample, "market"), client, firstOutput, cancel.Token);
        var secondOutput = new StringWriter();
        var second = await AgentRun.RunAsync(Path.Combine(sample, "fixture"), work.Path, Path.Combine(sample, "market"), client, secondOutput, cancel.Token);

        Assert.Equal(["medical-imaging", "scientific", "python"], first.Domains.Tags);
        Assert.Equal(AgentRun.BudgetMsat, first.Acquired.PaidMsat);
        Assert.Equal(AcquireSource.Purchase, first.Acquired.Source);
        Assert.Equal(0, second.Acquired.PaidMsat);
        Assert.Equal(AcquireSource.Cache, second.Acquired.Source);
        Assert.Equal(first.Acquired.CompiledId, second.Acquired.CompiledId);
        Assert.Equal(1247, first.Acquired.Listing.ExampleCount);
        Assert.Contains(("Optimize DICOM parsing for large studies", "complex"), first.Decisions);
        Assert.Contains(("Optimize DICOM parsing for large studies", "complex"), second.Decisions);
        Assert.Contains("queries relays: family=complexity, domains scientific+python", firstOutput.ToString());
        Assert.Contains("best listing: 1,247 examples, accuracy 0.93, 100 sats", firstOutput.ToString());
        Assert.Contains("it beat", firstOutput.ToString());
        Assert.Contains("paid 100 sats", firstOutput.ToString());
        Assert.Contains("paid nothing: cache", secondOutput.ToString());
        Assert.Equal(2 * AgentRun.Tasks.Length, chat.Requests.Count);

        // One invoice settled over both runs: the dev network folder outlives the runs.
        var settled = ManifestBuild.Lightning.Dev.DevNode.Open("seller", Path.Combine(work.Path, "devnet"));
        await using (settled)
        {
            Assert.Single(settled.ListSettledInvoices());
        }
    }
}
