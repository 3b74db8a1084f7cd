using System.Net;
using System.Net.Sockets;
using ManifestBuild.Tasks.Tests.Support;
using TaskItem = Microsoft.Build.Utilities.TaskItem;

namespace ManifestBuild.Tasks.Tests.Unit;

/// <summary>Ctrl+C while the task waits on a relay that accepted the connection and never answers.</summary>
public sealed class ResolveTaskCancellationTests : IDisposable
{
    private readonly ResolverHarness h = new();

    public void Dispose() => h.Dispose();

    [Fact]
    public async Task CancelDuringASlowRelayEndsTheTaskAndALateCancelIsHarmless()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var port = ((IPEndPoint)silent.LocalEndpoint).Port;
        var accepted = silent.AcceptSocketAsync();
        var project = h.WriteProjectFile("App.csproj", "<Project />");
        var engine = new RecordingBuildEngine();
        var item = new TaskItem("Classifier");
        item.SetMetadata("Family", "complexity");
        var task = new ResolveDsrsManifests
        {
            BuildEngine = engine,
            Manifests = [item],
            ProjectDirectory = h.Project,
            ProjectFile = project,
            IntermediateDirectory = h.Obj,
            HandOverFile = Path.Combine(h.Obj, "handover.tsv"),
            LockFile = "dsrs.lock.json",
            Relays = $"ws://127.0.0.1:{port}",
            BudgetMsat = "0",
            ResolveTimeoutSeconds = "600",
            Environment = name => name == "DSRS_HOME" ? h.Home : null,
        };

        var execute = Task.Run(task.Execute);
        using var socket = await accepted.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.False(execute.IsCompleted);
        task.Cancel();

        Assert.False(await execute.WaitAsync(TimeSpan.FromSeconds(30)));
        task.Cancel(); // MSBuild may cancel after the task has ended: no ObjectDisposedException.
        Assert.False(File.Exists(Path.Combine(h.Obj, "handover.tsv")));
        Assert.False(File.Exists(h.LockFile));
    }
}
