namespace ManifestBuild.Cli;

/// <summary>
/// The dsrs tool's own codes: DSRS0900-0909 (usage and prompts) and DSRS0960-0989 (demo, init).
/// `dsrs inspect` keeps the generator's DSRS1090-1099, since it reads what the generator bakes in.
/// A usage code exits 2; every other refusal exits 1.
/// </summary>
public static class CliErrorCodes
{
    /// <summary>A dsrs argument or option is missing, unknown or malformed (the message names it).</summary>
    public const string Usage = "DSRS0900";

    /// <summary>An option's value is not of the expected form or outside its range (the message names the option and the form).</summary>
    public const string InvalidOptionValue = "DSRS0901";

    /// <summary>A market command has no relay: neither --relay nor DSRS_RELAYS.</summary>
    public const string NoRelay = "DSRS0902";

    /// <summary>`dsrs buy` would pay, there is no terminal to ask on, and --yes was not given: nothing is paid.</summary>
    public const string ConfirmationRequired = "DSRS0903";

    /// <summary>`dsrs buy`: the user answered no at the payment prompt; nothing is paid.</summary>
    public const string PaymentDeclined = "DSRS0904";

    /// <summary>An unexpected error (a bug or an environment fault); the message names its type and text.</summary>
    public const string Unexpected = "DSRS0909";

    /// <summary>`dsrs subscription add`: a new line needs --price and --period-days, and a given one must not disagree with the line file.</summary>
    public const string SubscriptionLineOptions = "DSRS0940";

    /// <summary>`dsrs subscription buy` would pay, there is no terminal to ask on, and --yes was not given: nothing is paid.</summary>
    public const string SubscriptionConfirmationRequired = "DSRS0941";

    /// <summary>The no-pay switch (DSRS_NO_PAY) is on and what was asked for must be paid: nothing was paid, no node was opened.</summary>
    public const string NoPay = "DSRS0942";

    /// <summary>`dsrs demo` could not set up its seller side (relay refused a listing, dotnet could not start).</summary>
    public const string DemoFailed = "DSRS0960";

    /// <summary>`dsrs sellers block` or `unblock`: the seller is neither an npub nor 64 hex.</summary>
    public const string SellerStandingInvalidSeller = "DSRS0930";

    /// <summary>`dsrs init`: no project file where it looked, or several and none was named.</summary>
    public const string InitNoProject = "DSRS0970";

    /// <summary>`dsrs init`: the project file or nuget.config is not well-formed XML of the expected shape.</summary>
    public const string InitUnreadableFile = "DSRS0971";

    /// <summary>`dsrs inspect`: the file is missing or is not a .NET assembly.</summary>
    public const string InspectNotAssembly = "DSRS1090";

    /// <summary>`dsrs inspect`: a `[DsrsManifest]` attribute's arguments cannot be decoded.</summary>
    public const string InspectBadAttribute = "DSRS1091";

    /// <summary>
    /// True for the codes that mean "the command line is wrong": they exit 2. Two other parts' codes
    /// say exactly that about their own options: conflicting format-command options (DSRS0107) and
    /// unusable `dsrs serve` options (DSRS0580).
    /// </summary>
    public static bool IsUsage(string code) =>
        code is Usage or InvalidOptionValue or NoRelay or ConfirmationRequired or SubscriptionLineOptions or SubscriptionConfirmationRequired
            or Format.FormatErrorCodes.InvalidArguments or Seller.SellerErrorCodes.InvalidOptions;
}
