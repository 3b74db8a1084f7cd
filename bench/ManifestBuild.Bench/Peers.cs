using System.Diagnostics;

namespace ManifestBuild.Bench;

/// <summary>The repository's pinned node packages (tests/interop), run as peers in the same benchmark run.</summary>
public static class Peers
{
    public static string RepoRoot { get; } = FindRoot();

    public static string Interop => Path.Combine(RepoRoot, "tests", "interop");

    /// <summary>Runs a script from tests/interop with node and returns its stdout (throws on a non-zero exit).</summary>
    public static async Task<string> RunNodeAsync(string script, IEnumerable<string> args, CancellationToken cancellationToken)
    {
        await EnsureInstalledAsync(cancellationToken);
        var (code, stdout, stderr) = await RunAsync("node", [Path.Combine(Interop, script), .. args], Interop, cancellationToken);
        if (code != 0)
        {
            throw new InvalidOperationException($"node {script} exited with {code}: {stderr}");
        }

        return stdout;
    }

    /// <summary>How to start this harness again as a child process with <paramref name="args"/> (through dotnet when run as a dll).</summary>
    public static ProcessStartInfo Self(IEnumerable<string> args)
    {
        var self = Environment.ProcessPath!;
        var psi = new ProcessStartInfo(self) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            psi.ArgumentList.Add(typeof(Peers).Assembly.Location);
        }

        foreach (var arg in args)
        {
            psi.ArgumentList.Add(arg);
        }

        return psi;
    }

    public static async Task<(int Code, string StdOut, string StdErr)> RunAsync(string file, IEnumerable<string> args, string directory, CancellationToken cancellationToken, IDictionary<string, string>? environment = null)
    {
        var psi = new ProcessStartInfo(file) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            psi.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            psi.Environment[key] = value;
        }

        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await stdout, await stderr);
    }

    private static async Task EnsureInstalledAsync(CancellationToken cancellationToken)
    {
        // Installed, and not from an older package.json: every pinned dependency is there.
        var modules = Path.Combine(Interop, "node_modules");
        var pinned = Format.Json.JsonParser.ParseObject(File.ReadAllText(Path.Combine(Interop, "package.json")))["dependencies"] as Format.Json.JsonObject;
        if (File.Exists(Path.Combine(modules, ".package-lock.json")) && pinned is not null && pinned.All(d => File.Exists(Path.Combine(modules, d.Key, "package.json"))))
        {
            return;
        }

        var (code, _, stderr) = await RunAsync("npm", ["ci", "--no-audit", "--no-fund"], Interop, cancellationToken);
        if (code != 0)
        {
            throw new InvalidOperationException("npm ci failed in tests/interop: " + stderr);
        }
    }

    private static string FindRoot()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "ManifestBuild.sln")))
                {
                    return dir.FullName;
                }
            }
        }

        throw new InvalidOperationException("run the benchmarks from inside the repository (ManifestBuild.sln not found)");
    }
}
