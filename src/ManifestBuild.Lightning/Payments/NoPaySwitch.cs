namespace ManifestBuild.Lightning.Payments;

/// <summary>
/// The no-pay switch: <c>DSRS_NO_PAY=1</c> (any value but empty, 0, false or no) in the environment of a
/// build, the CLI or an agent, and nothing is paid there. Cached, free and receipted items still come
/// through; whatever would need a payment is refused with the caller's no-pay code. Read here only, so
/// every part agrees on what "on" means.
/// </summary>
public static class NoPaySwitch
{
    public const string Variable = "DSRS_NO_PAY";

    public static bool IsOn(Func<string, string?> environment) => IsOn(environment(Variable));

    public static bool IsOn(string? value) =>
        !string.IsNullOrWhiteSpace(value) && value.Trim().ToUpperInvariant() is not ("0" or "FALSE" or "NO" or "OFF");
}
