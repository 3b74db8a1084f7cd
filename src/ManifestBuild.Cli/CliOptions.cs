using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using ManifestBuild.Format;
using ManifestBuild.Market.Buying;
using ManifestBuild.Nostr.Relays;

namespace ManifestBuild.Cli;

/// <summary>
/// The options commands share, and every checked value: checked where it enters, by the parser, so a
/// bad value is a usage error (DSRS0901 unless a command's own code is given, exit 2) naming the
/// option and the form it expects, before any command runs; commands read the checked value.
/// </summary>
internal static class CliOptions
{
    /// <summary>A count of millisatoshis, 0 or more (prices, caps, fees).</summary>
    public static Option<long?> Msat(string name, string description) =>
        Parsed<long?>(name, description, "a whole number of millisatoshis (0 or more)", text =>
            long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null);

    /// <summary>A fraction from 0 to 1 (accuracy).</summary>
    public static Option<double?> Fraction(string name, string description) =>
        Parsed<double?>(name, description, "a number from 0 to 1 (e.g. 0.85)", text =>
            double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) && value is >= 0 and <= 1 ? value : null);

    /// <summary>A whole number in [min, max].</summary>
    public static Option<int?> Integer(string name, string description, int min, int max, string code = CliErrorCodes.InvalidOptionValue) =>
        Parsed<int?>(name, description, $"a whole number from {min} to {max}", text =>
            int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max ? value : null, code);

    /// <summary>A whole number in [min, max] with a default (limits, counts, seconds).</summary>
    public static Option<int> Count(string name, string description, int min, int max, int defaultValue, string code = CliErrorCodes.InvalidOptionValue)
    {
        var option = ParsedValue<int>(name, description, $"a whole number from {min} to {max}", text =>
            int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max ? value : null, code);
        option.DefaultValueFactory = _ => defaultValue;
        return option;
    }

    /// <summary>A whole number in [min, max] that may exceed an int (unix seconds, counts).</summary>
    public static Option<long?> Whole(string name, string description, long min, long max) =>
        Parsed<long?>(name, description, $"a whole number from {min} to {max}", text =>
            long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max ? value : null);

    /// <summary>A finite number in [min, max] (tolerances, temperatures).</summary>
    public static Option<double?> Number(string name, string description, double min, double max, string code = CliErrorCodes.InvalidOptionValue) =>
        Parsed<double?>(name, description, max == double.MaxValue ? $"a number >= {min.ToString(CultureInfo.InvariantCulture)}" : $"a number from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}", text =>
            double.TryParse(text, NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value) && value >= min && value <= max ? value : null, code);

    /// <summary>An absolute http(s) URL (a seller's L402 endpoint).</summary>
    public static Option<Uri> HttpUrl(string name, string description) =>
        Parsed<Uri>(name, description, "an absolute http:// or https:// URL", text =>
            Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" ? uri : null);

    /// <summary>Lowercase hex of exactly <paramref name="bytes"/> bytes (a node id is 33); uppercase input is lowered.</summary>
    public static Option<string> Hex(string name, string description, int bytes) =>
        Parsed<string>(name, description, $"{bytes * 2} hex characters", text =>
            Format.Hex.IsLowerHex(text.ToLowerInvariant(), bytes) ? text.ToLowerInvariant() : null);

    /// <summary>
    /// --relay URL (repeatable), each checked by <see cref="RelayUrl.TryParse"/> where it enters and
    /// carried normalised; absent, a command falls back to DSRS_RELAYS (see <see cref="RelaysOrEnvironment"/>).
    /// </summary>
    public static Option<Uri[]> Relays(string description = "A relay URL (repeatable); default: DSRS_RELAYS (separated by ';').") =>
        new("--relay")
        {
            Description = description,
            AllowMultipleArgumentsPerToken = true,
            CustomParser = result =>
            {
                var relays = new List<Uri>();
                foreach (var token in result.Tokens)
                {
                    if (RelayUrl.TryParse(token.Value, out var uri, out var why))
                    {
                        relays.Add(uri!);
                    }
                    else
                    {
                        result.AddError($"{BadValue("--relay", "a ws:// or wss:// relay URL", token.Value)}: it {why}");
                    }
                }

                return relays.Distinct().ToArray();
            },
        };

    /// <summary>The relays a market command talks to: --relay, else DSRS_RELAYS; neither is DSRS0902.</summary>
    public static IReadOnlyList<Uri> RelaysOrEnvironment(ParseResult r, Option<Uri[]> option, CliContext context)
    {
        if (r.GetValue(option) is { Length: > 0 } given)
        {
            return given;
        }

        var fromEnvironment = EnvironmentRelays(context);
        return fromEnvironment.Count > 0 ? fromEnvironment : throw new DsrsException(CliErrorCodes.NoRelay, "no relay: pass --relay URL or set " + RelaysVariable);
    }

    /// <summary>The relays DSRS_RELAYS names (';' or ',' between them), each parsed by <see cref="RelayUrl.Parse"/>; none when unset.</summary>
    public static IReadOnlyList<Uri> EnvironmentRelays(CliContext context) =>
        (context.Env(RelaysVariable) ?? string.Empty).Split(';', ',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(RelayUrl.Parse).ToList();

    /// <summary>The environment variable market commands read their relays from when --relay is absent.</summary>
    public const string RelaysVariable = "DSRS_RELAYS";

    /// <summary>--json: the command prints one JSON document instead of text.</summary>
    public static Option<bool> Json(string description = "Machine-readable output.") => new("--json") { Description = description };

    /// <summary>A seller's public key as npub or 64 hex, carried as lowercase hex; anything else is a usage error with <paramref name="code"/>.</summary>
    public static Argument<string> PublicKey(string name, string description, string code) =>
        new(name)
        {
            Description = description,
            CustomParser = result =>
            {
                var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Empty;
                try
                {
                    return SellerStanding.Normalize(text);
                }
                catch (DsrsException e)
                {
                    result.AddError($"{code}: {name}: {e.Message}");
                    return null;
                }
            },
        };

    /// <summary>The message of a bad value: the code, the option, what it expects, what it got.</summary>
    public static string BadValue(string name, string expected, string got, string code = CliErrorCodes.InvalidOptionValue) =>
        $"{code}: {name} expects {expected}, got '{got}'";

    private static Option<T> Parsed<T>(string name, string description, string expected, Func<string, T?> parse, string code = CliErrorCodes.InvalidOptionValue) =>
        Checked<T>(name, description, expected, text => parse(text) is { } value ? (true, value) : (false, default!), code);

    /// <summary>A value type parsed without a nullable wrapper (an option with a default).</summary>
    private static Option<T> ParsedValue<T>(string name, string description, string expected, Func<string, T?> parse, string code)
        where T : struct =>
        Checked<T>(name, description, expected, text => parse(text) is { } value ? (true, value) : (false, default), code);

    private static Option<T> Checked<T>(string name, string description, string expected, Func<string, (bool Ok, T Value)> parse, string code)
    {
        return new Option<T>(name)
        {
            Description = description,
            CustomParser = result =>
            {
                var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Join(' ', result.Tokens.Select(t => t.Value));
                var (ok, value) = parse(text.Trim());
                if (!ok)
                {
                    result.AddError(BadValue(name, expected, text, code));
                }

                return value;
            },
        };
    }
}
