using System.Text;

namespace ManifestBuild.Cli.Tests;

/// <summary>Completes <see cref="Signal"/> with the first line that starts with the prefix.</summary>
internal sealed class SignalWriter(string prefix) : StringWriter
{
    private readonly TaskCompletionSource<string> signal = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly StringBuilder line = new();

    public Task<string> Signal => signal.Task;

    public override void Write(char value)
    {
        base.Write(value);
        lock (line)
        {
            if (value == '\n')
            {
                var text = line.ToString().TrimEnd('\r');
                line.Clear();
                if (text.StartsWith(prefix, StringComparison.Ordinal))
                {
                    signal.TrySetResult(text);
                }
            }
            else
            {
                line.Append(value);
            }
        }
    }

    public override void Write(string? value)
    {
        foreach (var c in value ?? string.Empty)
        {
            Write(c);
        }
    }

    public override Task WriteAsync(string? value)
    {
        Write(value);
        return Task.CompletedTask;
    }

    public override Task WriteLineAsync(string? value)
    {
        Write(value + "\n");
        return Task.CompletedTask;
    }

    public override void WriteLine(string? value) => Write(value + "\n");
}
