using System.Diagnostics;
using System.Text;

namespace ManifestBuild.TestSupport;

/// <summary>
/// Runs JavaScript with node against the repository's pinned npm packages (tests/interop),
/// installing them with `npm ci` the first time if they are missing.
/// </summary>
public static class NodeScript
{
    private static readonly SemaphoreSlim InstallGate = new(1, 1);

    /// <summary>Ensures tests/interop/node_modules exists (npm ci from the lockfile).</summary>
    public static async Task EnsureInstalledAsync()
    {
        var modules = Path.Combine(RepoPaths.Interop, "node_modules");
        if (IsInstalled(modules))
        {
            return;
        }

        await InstallGate.WaitAsync();
        try
        {
            // Another test process may be installing: a lock file keeps npm ci to one at a time.
            using var lockFile = await AcquireFileLockAsync(Path.Combine(RepoPaths.Interop, ".install.lock"), TimeSpan.FromMinutes(10));
            if (IsInstalled(modules))
            {
                return;
            }

            var result = await RunProcessAsync("npm", ["ci", "--no-audit", "--no-fund"], RepoPaths.Interop, null, TimeSpan.FromMinutes(10));
            if (result.ExitCode != 0)
            {
                throw new InvalidOperationException("npm ci failed in tests/interop:\n" + result.StdErr + result.StdOut);
            }
        }
        finally
        {
            InstallGate.Release();
        }
    }

    /// <summary>Installed, and not from an older package.json: every pinned dependency is there.</summary>
    private static bool IsInstalled(string modules)
    {
        if (!File.Exists(Path.Combine(modules, ".package-lock.json")))
        {
            return false;
        }

        using var manifest = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(RepoPaths.Interop, "package.json")));
        return manifest.RootElement.GetProperty("dependencies").EnumerateObject().All(d => File.Exists(Path.Combine(modules, d.Name, "package.json")));
    }

    /// <summary>Runs a script file from tests/interop with the given arguments and stdin.</summary>
    public static async Task<ProcessResult> RunFileAsync(string scriptFile, IEnumerable<string> args, string? stdin = null, TimeSpan? timeout = null)
    {
        await EnsureInstalledAsync();
        var path = Path.IsPathRooted(scriptFile) ? scriptFile : Path.Combine(RepoPaths.Interop, scriptFile);
        return await RunProcessAsync("node", [path, .. args], RepoPaths.Interop, stdin, timeout ?? TimeSpan.FromMinutes(2));
    }

    /// <summary>Runs inline ES-module source (written to a temp .mjs inside tests/interop so imports resolve).</summary>
    public static async Task<ProcessResult> RunInlineAsync(string moduleSource, string? stdin = null, TimeSpan? timeout = null)
    {
        await EnsureInstalledAsync();
        var dir = Path.Combine(RepoPaths.Interop, ".tmp");
        Directory.CreateDirectory(dir);
        var file = Path.Combine(dir, "inline-" + Guid.NewGuid().ToString("N") + ".mjs");
        await File.WriteAllTextAsync(file, moduleSource);
        try
        {
            return await RunProcessAsync("node", [file], RepoPaths.Interop, stdin, timeout ?? TimeSpan.FromMinutes(2));
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>Runs a process to completion (killed at the timeout) and captures its output.</summary>
    public static async Task<ProcessResult> RunProcessAsync(string fileName, IEnumerable<string> args, string workingDirectory, string? stdin, TimeSpan timeout, IDictionary<string, string?>? environment = null)
    {
        var psi = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var arg in args)
        {
            psi.ArgumentList.Add(arg);
        }

        if (environment is not null)
        {
            foreach (var (key, value) in environment)
            {
                psi.Environment[key] = value;
            }
        }

        using var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start " + fileName);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
        }

        process.StandardInput.Close();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} did not finish within {timeout}: {await stderr}");
        }

        return new ProcessResult(process.ExitCode, await stdout, await stderr);
    }

    private static async Task<FileStream> AcquireFileLockAsync(string path, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(200);
            }
        }
    }
}

public sealed record ProcessResult(int ExitCode, string StdOut, string StdErr)
{
    public ProcessResult EnsureSuccess()
    {
        if (ExitCode != 0)
        {
            throw new InvalidOperationException($"exit code {ExitCode}\nstdout:\n{StdOut}\nstderr:\n{StdErr}");
        }

        return this;
    }
}
