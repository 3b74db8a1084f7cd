namespace ManifestBuild.Market.Listings;

/// <summary>The name of a product line (the <c>line</c> tag): what a subscription and a live watch follow.</summary>
public static class LineName
{
    public const string Rule = "1-64 ASCII letters, digits, '-', '_' or '.'";

    public static bool Check(string? line) =>
        line is { Length: > 0 and <= 64 } && line.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');
}
