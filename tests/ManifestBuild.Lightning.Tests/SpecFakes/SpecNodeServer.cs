namespace ManifestBuild.Lightning.Tests.SpecFakes;

/// <summary>
/// A loopback server playing one node type from its spec, over a <see cref="FakeLightningBackend"/>.
/// Stopping it fails the test when any request broke the spec.
/// </summary>
internal sealed class SpecNodeServer : IAsyncDisposable
{
    public SpecNodeServer(IAsyncDisposable host, FakeLightningBackend backend, string connectionString)
    {
        Host = host;
        Backend = backend;
        ConnectionString = connectionString;
    }

    /// <summary>The HTTP server, or for NWC the relay and wallet service.</summary>
    public IAsyncDisposable Host { get; }

    public FakeLightningBackend Backend { get; }

    /// <summary>What a user would put in DSRS_NODE to reach this fake.</summary>
    public string ConnectionString { get; }

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        Assert.True(Backend.Violations.Count == 0, "the adapter broke the node's spec:\n" + string.Join("\n", Backend.Violations));
    }
}
