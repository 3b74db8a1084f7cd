using System;
using System.Globalization;
using System.Text;

namespace ManifestBuild.Format.Json
{
    /// <summary>
    /// ECMAScript Number::toString (ECMA-262 §6.1.6.1.20), the number form RFC 8785 prescribes:
    /// the shortest digits that round-trip, plain notation for exponents in [-6, 21), otherwise
    /// d.ddde±n; -0 prints as 0.
    /// </summary>
    public static class EcmaNumber
    {
        public static string Format(double value)
        {
            if (double.IsNaN(value) || double.IsInfinity(value))
            {
                throw new DsrsException(FormatErrorCodes.NotCanonicalizable, "a JSON number must be finite; NaN and Infinity have no JSON form");
            }

            if (value == 0)
            {
                return "0";
            }

            var negative = value < 0;
            ShortestDigits(Math.Abs(value), out var digits, out var n);
            var k = digits.Length;
            var builder = new StringBuilder(32);
            if (negative)
            {
                builder.Append('-');
            }

            if (k <= n && n <= 21)
            {
                builder.Append(digits).Append('0', n - k);
            }
            else if (0 < n && n <= 21)
            {
                builder.Append(digits, 0, n).Append('.').Append(digits, n, k - n);
            }
            else if (-6 < n && n <= 0)
            {
                builder.Append("0.").Append('0', -n).Append(digits);
            }
            else
            {
                var exponent = n - 1;
                builder.Append(digits[0]);
                if (k > 1)
                {
                    builder.Append('.').Append(digits, 1, k - 1);
                }

                builder.Append('e').Append(exponent < 0 ? '-' : '+').Append(Math.Abs(exponent).ToString(CultureInfo.InvariantCulture));
            }

            return builder.ToString();
        }

        /// <summary>
        /// The shortest decimal digits s (no leading or trailing zeros) and n such that
        /// value = 0.s × 10^n. .NET Core 3.0+ formats "R" as the shortest round-trip string; an older
        /// runtime whose "R" does not round-trip falls back to 17 significant digits.
        /// </summary>
        private static void ShortestDigits(double value, out string digits, out int n)
        {
            var text = value.ToString("R", CultureInfo.InvariantCulture);
            if (double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture) != value)
            {
                text = value.ToString("E16", CultureInfo.InvariantCulture);
            }

            var exponent = 0;
            var e = text.IndexOfAny(new[] { 'E', 'e' });
            var mantissa = text;
            if (e >= 0)
            {
                exponent = int.Parse(text.Substring(e + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
                mantissa = text.Substring(0, e);
            }

            var point = mantissa.IndexOf('.');
            var integerPart = point >= 0 ? mantissa.Substring(0, point) : mantissa;
            var fraction = point >= 0 ? mantissa.Substring(point + 1) : string.Empty;
            var all = integerPart + fraction;

            // value = 0.all × 10^(integerPart.Length + exponent); strip zeros to make s minimal.
            var position = integerPart.Length + exponent;
            var start = 0;
            while (start < all.Length - 1 && all[start] == '0')
            {
                start++;
                position--;
            }

            var end = all.Length;
            while (end > start + 1 && all[end - 1] == '0')
            {
                end--;
            }

            digits = all.Substring(start, end - start);
            n = position;
        }
    }
}
