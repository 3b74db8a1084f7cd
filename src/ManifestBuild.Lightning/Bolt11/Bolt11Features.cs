namespace ManifestBuild.Lightning.Bolt11;

/// <summary>The BOLT #9 feature bits that may appear in an invoice's `9` field, and their dependencies.</summary>
public static class Bolt11Features
{
    public const int VarOnionOptinRequired = 8;
    public const int PaymentSecretRequired = 14;
    public const int BasicMppOptional = 17;

    // Pairs (even = required, odd = optional) marked "9" in BOLT #9: var_onion_optin, payment_secret,
    // basic_mpp, option_route_blinding, option_payment_metadata.
    private static readonly HashSet<int> KnownEven = [8, 14, 16, 24, 48];

    // feature pair -> the pair it depends on (payment_secret needs var_onion_optin, basic_mpp needs payment_secret).
    private static readonly Dictionary<int, int> Dependencies = new() { [14] = 8, [16] = 14 };

    public static bool IsKnown(int bit) => KnownEven.Contains(bit & ~1);

    internal static void Check(IReadOnlyList<int> bits)
    {
        var set = new HashSet<int>(bits);
        foreach (var bit in bits)
        {
            if (bit % 2 == 0 && !IsKnown(bit))
            {
                throw new ManifestBuild.Format.DsrsException(Bolt11ErrorCodes.UnknownRequiredFeature, $"the invoice requires feature bit {bit}, which this reader does not know (BOLT #11: unknown even bits MUST fail the payment)");
            }
        }

        foreach (var (feature, dependency) in Dependencies)
        {
            var hasFeature = set.Contains(feature) || set.Contains(feature + 1);
            var hasDependency = set.Contains(dependency) || set.Contains(dependency + 1);
            if (hasFeature && !hasDependency)
            {
                throw new ManifestBuild.Format.DsrsException(Bolt11ErrorCodes.MissingFeatureDependency, $"feature {feature}/{feature + 1} is set without its dependency {dependency}/{dependency + 1} (BOLT #9)");
            }
        }
    }

    /// <summary>Feature bits from big-endian 5-bit words: bit 0 is the last word's lowest bit.</summary>
    internal static List<int> FromWords(ReadOnlySpan<byte> words)
    {
        var bits = new List<int>();
        for (var i = 0; i < words.Length; i++)
        {
            var word = words[words.Length - 1 - i];
            for (var b = 0; b < 5; b++)
            {
                if ((word & (1 << b)) != 0)
                {
                    bits.Add(i * 5 + b);
                }
            }
        }

        return bits;
    }

    /// <summary>The minimal big-endian 5-bit words of a set of bits (empty when none).</summary>
    internal static byte[] ToWords(IEnumerable<int> bits)
    {
        var list = bits.Distinct().ToList();
        if (list.Count == 0)
        {
            return [];
        }

        var length = list.Max() / 5 + 1;
        var words = new byte[length];
        foreach (var bit in list)
        {
            words[length - 1 - bit / 5] |= (byte)(1 << (bit % 5));
        }

        return words;
    }
}
