using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace ManifestBuild.Cli;

/// <summary>
/// Options whose values are checked where they enter, by the parser: a bad value is a usage error
/// (DSRS0901, exit 2) naming the option and the form it expects, before any command runs.
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
    public static Option<int?> Integer(string name, string description, int min, int max) =>
        Parsed<int?>(name, description, $"a whole number from {min} to {max}", text =>
            int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max ? value : null);

    /// <summary>The message of a bad value: the code, the option, what it expects, what it got.</summary>
    public static string BadValue(string name, string expected, string got) =>
        $"{CliErrorCodes.InvalidOptionValue}: {name} expects {expected}, got '{got}'";

    private static Option<T> Parsed<T>(string name, string description, string expected, Func<string, T?> parse)
    {
        return new Option<T>(name)
        {
            Description = description,
            CustomParser = result =>
            {
                var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Join(' ', result.Tokens.Select(t => t.Value));
                var value = parse(text.Trim());
                if (value is null)
                {
                    result.AddError(BadValue(name, expected, text));
                }

                return value;
            },
        };
    }
}
