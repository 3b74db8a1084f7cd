using System.Globalization;

namespace ManifestBuild.Agent.Market;

/// <summary>One way to write an amount in logs and explanations: whole sats as "1,000 sats", else msat.</summary>
internal static class Money
{
    public static string Format(long msat) => msat % 1000 == 0
        ? $"{(msat / 1000).ToString("N0", CultureInfo.InvariantCulture)} sats"
        : $"{msat.ToString(CultureInfo.InvariantCulture)} msat";
}
