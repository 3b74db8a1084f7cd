namespace ManifestBuild.Cli;

/// <summary>
/// What a command may touch of the outside world. Commands write only through Out/Error and read
/// the environment only through Env, so tests can run the CLI in-process, in parallel, with their
/// own DSRS_HOME and captured output.
/// </summary>
public sealed class CliContext
{
    public TextWriter Out { get; init; } = Console.Out;

    public TextWriter Error { get; init; } = Console.Error;

    public TextReader In { get; init; } = Console.In;

    /// <summary>True when a person can answer a question on In (standard input is a terminal); `dsrs buy` asks before paying.</summary>
    public bool Interactive { get; init; } = !Console.IsInputRedirected;

    public Func<string, string?> Env { get; init; } = Environment.GetEnvironmentVariable;

    /// <summary>$DSRS_HOME as this invocation sees it.</summary>
    public string Home => ManifestBuild.Format.DsrsHome.Resolve(Env);

    /// <summary>
    /// Called before a command asks to pay or opens a node to pay: with the no-pay switch on (DSRS_NO_PAY),
    /// refused with DSRS0942 before any question, any node, any invoice.
    /// </summary>
    /// <summary>
    /// Before any payment: the no-pay switch, then --yes or a yes typed at the terminal to <paramref name="question"/>.
    /// Without a terminal and without --yes: <paramref name="noTerminalCode"/> (a usage error). Nothing is ever paid silently.
    /// </summary>
    /// <param name="what">The item and its price, as the refusals name it.</param>
    public async Task ConfirmPaymentAsync(string what, string question, bool yes, string noTerminalCode, CancellationToken cancellationToken)
    {
        EnsurePaymentAllowed(what);
        if (yes)
        {
            return;
        }

        if (!Interactive)
        {
            throw new ManifestBuild.Format.DsrsException(noTerminalCode, $"{what} and standard input is not a terminal to confirm on; pass --yes to pay; nothing paid");
        }

        await Error.WriteAsync(question + " [y/N] ");
        await Error.FlushAsync(cancellationToken);
        var answer = (await In.ReadLineAsync(cancellationToken))?.Trim();
        if (!string.Equals(answer, "y", StringComparison.OrdinalIgnoreCase) && !string.Equals(answer, "yes", StringComparison.OrdinalIgnoreCase))
        {
            throw new ManifestBuild.Format.DsrsException(CliErrorCodes.PaymentDeclined, $"not confirmed (answer '{answer ?? "(end of input)"}'); nothing paid");
        }
    }

    public void EnsurePaymentAllowed(string what)
    {
        if (ManifestBuild.Lightning.Payments.NoPaySwitch.IsOn(Env))
        {
            throw new ManifestBuild.Format.DsrsException(CliErrorCodes.NoPay, $"{what} and the no-pay switch ({ManifestBuild.Lightning.Payments.NoPaySwitch.Variable}) is on; nothing paid");
        }
    }
}
