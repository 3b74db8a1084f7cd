using System;
using System.Globalization;

namespace ManifestBuild.Format.Json
{
    /// <summary>A JSON string.</summary>
    public sealed class JsonString : JsonValue
    {
        public JsonString(string value)
        {
            Value = value ?? throw new ArgumentNullException(nameof(value));
        }

        public string Value { get; }

        public override JsonValueKind Kind => JsonValueKind.String;

        public override bool DeepEquals(JsonValue? other) =>
            other is JsonString s && string.Equals(s.Value, Value, StringComparison.Ordinal);

        public override JsonValue DeepClone() => this;
    }

    /// <summary>
    /// A JSON number: the text it was written with (kept when a file is saved) and its double value
    /// (what canonical form and equality use, as I-JSON and RFC 8785 prescribe).
    /// </summary>
    public sealed class JsonNumber : JsonValue
    {
        /// <summary>From source text already checked by the parser.</summary>
        internal JsonNumber(string text, double value)
        {
            Text = text;
            Value = value;
        }

        /// <summary>From a double; its text is the ECMAScript form. Non-finite values are refused.</summary>
        public JsonNumber(double value)
        {
            if (double.IsNaN(value) || double.IsInfinity(value))
            {
                throw new DsrsException(FormatErrorCodes.NotCanonicalizable, "JSON numbers must be finite; got " + value.ToString("R", CultureInfo.InvariantCulture));
            }

            Value = value;
            Text = EcmaNumber.Format(value);
        }

        /// <summary>From an integer; its text is the exact decimal (even beyond 2^53).</summary>
        public JsonNumber(long value)
        {
            Value = value;
            Text = value.ToString(CultureInfo.InvariantCulture);
        }

        /// <summary>The number as written in the source (or as formatted when built in code).</summary>
        public string Text { get; }

        public double Value { get; }

        public override JsonValueKind Kind => JsonValueKind.Number;

        /// <summary>True when the value is a whole number that fits a long exactly as written.</summary>
        public bool TryGetInt64(out long value)
        {
            if (long.TryParse(Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value))
            {
                return true;
            }

            // 1e3 or 10.0 are whole numbers too; accept them when the double is exact.
            if (Math.Floor(Value) == Value && Math.Abs(Value) <= 9007199254740992d)
            {
                value = (long)Value;
                return true;
            }

            value = 0;
            return false;
        }

        /// <summary>
        /// True when the text says no more than its double keeps (I-JSON, RFC 7493 §2.2): its significant
        /// digits are those of the double's shortest form. 9007199254740993 is not exact (the double is
        /// ...992), so two such texts would share a compiled_id (RFC 8785 hashes the double) while a
        /// reader of the text (an int field, the embedded file) would see two different numbers.
        /// </summary>
        public bool IsExact => Significand(Text) == Significand(EcmaNumber.Format(Value));

        /// <summary>"120.50" -> "1205e2" (digits without leading and trailing zeros, then where the point goes).</summary>
        private static string Significand(string text)
        {
            var mantissa = text;
            var exponent = 0;
            var e = text.IndexOfAny(new[] { 'e', 'E' });
            if (e >= 0)
            {
                mantissa = text.Substring(0, e);
                if (!int.TryParse(text.Substring(e + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out exponent))
                {
                    return text;
                }
            }

            var point = mantissa.IndexOf('.');
            var digits = (point < 0 ? mantissa : mantissa.Remove(point, 1)).TrimStart('-');
            var integerDigits = (point < 0 ? mantissa.Length : point) - (mantissa.StartsWith("-", StringComparison.Ordinal) ? 1 : 0);
            var leading = digits.Length - digits.TrimStart('0').Length;
            digits = digits.Trim('0');
            if (digits.Length == 0)
            {
                return "0";
            }

            return digits + "e" + (integerDigits - leading + exponent).ToString(CultureInfo.InvariantCulture);
        }

        // -0 equals 0, as in canonical form.
        public override bool DeepEquals(JsonValue? other) => other is JsonNumber n && n.Value == Value;

        public override JsonValue DeepClone() => this;
    }

    /// <summary>true or false.</summary>
    public sealed class JsonBool : JsonValue
    {
        public static readonly JsonBool True = new JsonBool(true);
        public static readonly JsonBool False = new JsonBool(false);

        private JsonBool(bool value)
        {
            Value = value;
        }

        public bool Value { get; }

        public override JsonValueKind Kind => JsonValueKind.Bool;

        public static JsonBool From(bool value) => value ? True : False;

        public override bool DeepEquals(JsonValue? other) => other is JsonBool b && b.Value == Value;

        public override JsonValue DeepClone() => this;
    }

    /// <summary>null.</summary>
    public sealed class JsonNull : JsonValue
    {
        public static readonly JsonNull Instance = new JsonNull();

        private JsonNull()
        {
        }

        public override JsonValueKind Kind => JsonValueKind.Null;

        public override bool DeepEquals(JsonValue? other) => other is JsonNull;

        public override JsonValue DeepClone() => this;
    }
}
