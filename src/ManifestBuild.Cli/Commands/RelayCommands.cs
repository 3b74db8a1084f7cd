using System.CommandLine;
using System.Runtime.InteropServices;
using ManifestBuild.Cli.Presenters;
using ManifestBuild.Relay;

namespace ManifestBuild.Cli;

internal static class RelayCommands
{
    /// <summary>The default port of `dsrs relay` (the same as strfry's, familiar to Nostr users); the sample agent's default relay too.</summary>
    public const int DefaultRelayPort = 7777;

    /// <summary>dsrs relay --port N [--host 127.0.0.1] [--data DIR]: runs the embedded relay until Ctrl+C.</summary>
    public static void AddTo(RootCommand root, CliContext context)
    {
        var port = CliOptions.Integer("--port", "TCP port to listen on (0 picks a free one).", 0, 65535);
        port.DefaultValueFactory = _ => DefaultRelayPort;
        var host = new Option<string>("--host")
        {
            Description = "IP address to listen on (127.0.0.1: this machine only).",
            DefaultValueFactory = _ => "127.0.0.1",
        };
        var data = new Option<string?>("--data")
        {
            Description = "Directory for the event file (events.jsonl); without it, events live in memory only.",
        };

        var command = new Command("relay", "Run a local Nostr relay (NIP-01, NIP-09, NIP-11, NIP-45) until Ctrl+C.");
        command.Options.Add(port);
        command.Options.Add(host);
        command.Options.Add(data);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var options = new EmbeddedRelayOptions
            {
                Port = parseResult.GetValue(port) ?? DefaultRelayPort,
                Host = parseResult.GetValue(host) ?? "127.0.0.1",
                DataPath = parseResult.GetValue(data) is { Length: > 0 } dir ? Path.GetFullPath(dir) : null,
            };
            await using var relay = await EmbeddedRelay.StartAsync(options, cancellationToken);
            await RelayPresenter.WriteListeningAsync(context.Out, relay, options.DataPath);

            // Ctrl+C and SIGTERM end the wait (and not the process), so the relay closes its file cleanly.
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            void OnSignal(PosixSignalContext signal)
            {
                signal.Cancel = true;
                stop.Cancel();
            }

            using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
            using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
            try
            {
                await Task.Delay(Timeout.Infinite, stop.Token);
            }
            catch (OperationCanceledException)
            {
                // Ctrl+C: stop cleanly (dispose closes connections and the data file).
            }

            await RelayPresenter.WriteStoppedAsync(context.Out);
            return 0;
        });
        root.Subcommands.Add(command);
    }
}
