using Microsoft.Extensions.Hosting;

namespace ManifestBuild.Relay;

/// <summary>
/// The relay runs inside someone else's process (dsrs, a test host, a build): it must not take over
/// Ctrl+C or SIGTERM the way the default console lifetime does. Its owner stops it by disposing.
/// </summary>
internal sealed class QuietHostLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
