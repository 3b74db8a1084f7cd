using ManifestBuild.Runtime;

namespace ManifestBuild.Evaluation.Metrics;

/// <summary>
/// Compares an expected and a predicted value of one field, both already parsed as the field's type:
/// strings exactly (surrounding whitespace aside), enums by member (so "Very High" and "very_high" are
/// the same answer once parsed), numbers within a tolerance, lists as multisets of items.
/// </summary>
public static class FieldComparer
{
    public static bool Equal(SignatureField field, object expected, object predicted, double tolerance = 0)
    {
        switch (expected, predicted)
        {
            case (string a, string b):
                return string.Equals(a.Trim(), b.Trim(), StringComparison.Ordinal);
            case (int a, int b):
                return Math.Abs((long)a - b) <= tolerance;
            case (double a, double b):
                // Within the tolerance, or equal but for the last bits a decimal round-trip can move.
                return Math.Abs(a - b) <= Math.Max(tolerance, 1e-12 * Math.Max(Math.Abs(a), Math.Abs(b))) || a.Equals(b);
            case (bool a, bool b):
                return a == b;
            case (EnumValue a, EnumValue b):
                return a.Index == b.Index;
            case (IReadOnlyList<string> a, IReadOnlyList<string> b):
                return a.Count == b.Count && F1(a, b) == 1;
            default:
                return false;
        }
    }

    /// <summary>Item-level F1 of two lists (multisets, items trimmed): 1 when both are empty, 0 when only one is.</summary>
    public static double F1(IReadOnlyList<string> expected, IReadOnlyList<string> predicted)
    {
        if (expected.Count == 0 || predicted.Count == 0)
        {
            return expected.Count == 0 && predicted.Count == 0 ? 1 : 0;
        }

        var remaining = expected.Select(i => i.Trim()).GroupBy(i => i, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var common = 0;
        foreach (var item in predicted.Select(i => i.Trim()))
        {
            if (remaining.TryGetValue(item, out var left) && left > 0)
            {
                remaining[item] = left - 1;
                common++;
            }
        }

        if (common == 0)
        {
            return 0;
        }

        var precision = (double)common / predicted.Count;
        var recall = (double)common / expected.Count;
        return 2 * precision * recall / (precision + recall);
    }
}
