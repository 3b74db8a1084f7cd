using System.Diagnostics;
using ManifestBuild.Format.Caching;
using ManifestBuild.TestSupport;

namespace ManifestBuild.Format.Tests;

/// <summary>Several processes (as parallel builds are) share one cache: nobody ever reads a bad entry.</summary>
public class ManifestCacheProcessTests
{
    private const int Processes = 4;
    private const int Rounds = 15;

    [Fact]
    public async Task ParallelProcessesWritingAndReadingTheSameEntriesAllSucceed()
    {
        using var home = new TempDirectory("dsrs-cache-home");
        using var manifests = new TempDirectory("dsrs-cache-src");
        File.Copy(TestPaths.Data("seed-manifest.json"), manifests.Combine("seed.json"));
        File.Copy(TestPaths.Data("complexity-typed.json"), manifests.Combine("typed.json"));

        var probes = new List<Process>();
        try
        {
            for (var i = 0; i < Processes; i++)
            {
                probes.Add(StartProbe(home.Path, manifests.Path));
            }

            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));

            // Wait until every probe has loaded and is blocked on stdin, then release them together.
            foreach (var probe in probes)
            {
                Assert.Equal("ready", await probe.StandardOutput.ReadLineAsync(timeout.Token));
            }

            foreach (var probe in probes)
            {
                await probe.StandardInput.WriteLineAsync("go");
                await probe.StandardInput.FlushAsync();
            }

            foreach (var probe in probes)
            {
                var stdout = probe.StandardOutput.ReadToEndAsync(timeout.Token);
                var stderr = probe.StandardError.ReadToEndAsync(timeout.Token);
                await probe.WaitForExitAsync(timeout.Token);
                Assert.True(probe.ExitCode == 0, "probe failed: " + await stderr);
                Assert.Equal("ok " + (Rounds * 2), (await stdout).Trim());
            }
        }
        finally
        {
            foreach (var probe in probes)
            {
                if (!probe.HasExited)
                {
                    probe.Kill(entireProcessTree: true);
                }

                probe.Dispose();
            }
        }

        var cache = new ManifestCache(home.Path);
        Assert.Equal(2, cache.List().Count);
        Assert.Empty(cache.VerifyAll());
        Assert.Empty(Directory.GetFiles(cache.CacheDirectory, "*.tmp"));
        Assert.False(Directory.Exists(cache.QuarantineDirectory));
    }

    private static Process StartProbe(string home, string manifests)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "ManifestBuild.Format.CacheProbe.dll");
        Assert.True(File.Exists(dll), "the probe was not copied beside the tests: " + dll);
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(dll);
        psi.ArgumentList.Add(home);
        psi.ArgumentList.Add(manifests);
        psi.ArgumentList.Add(Rounds.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return Process.Start(psi) ?? throw new InvalidOperationException("could not start the cache probe");
    }
}
