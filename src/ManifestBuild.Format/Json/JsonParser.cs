using System;
using System.Globalization;
using System.Text;

namespace ManifestBuild.Format.Json
{
    /// <summary>
    /// A strict RFC 8259 parser: no comments, no trailing commas, no NaN/Infinity, no single quotes,
    /// no duplicate member names, no lone surrogates (RFC 8785 §3.2.2), numbers within double range,
    /// nesting at most <see cref="DefaultMaxDepth"/>. Every refusal is DSRS0100 with line and column.
    /// </summary>
    public sealed class JsonParser
    {
        public const int DefaultMaxDepth = 128;

        private readonly string text;
        private readonly int maxDepth;
        private int position;
        private int depth;

        private JsonParser(string text, int maxDepth)
        {
            this.text = text;
            this.maxDepth = maxDepth;
        }

        /// <summary>Parses one JSON value that spans the whole text (surrounding whitespace allowed).</summary>
        public static JsonValue Parse(string text) => Parse(text, DefaultMaxDepth);

        public static JsonValue Parse(string text, int maxDepth)
        {
            if (text is null)
            {
                throw new ArgumentNullException(nameof(text));
            }

            var parser = new JsonParser(text, maxDepth);
            parser.SkipWhitespace();
            var value = parser.ParseValue();
            parser.SkipWhitespace();
            if (parser.position < text.Length)
            {
                throw parser.Error("unexpected " + parser.Describe(parser.position) + " after the JSON value");
            }

            return value;
        }

        /// <summary>Parses text that must be a JSON object.</summary>
        public static JsonObject ParseObject(string text)
        {
            var value = Parse(text);
            var obj = value as JsonObject;
            if (obj is null)
            {
                throw new JsonParseException(1, 1, 0, "expected an object, found " + value.KindName());
            }

            return obj;
        }

        private JsonValue ParseValue()
        {
            if (position >= text.Length)
            {
                throw Error("unexpected end of input, expected a value");
            }

            var c = text[position];
            switch (c)
            {
                case '{': return ParseObjectValue();
                case '[': return ParseArrayValue();
                case '"': return new JsonString(ParseString());
                case 't': ExpectLiteral("true"); return JsonBool.True;
                case 'f': ExpectLiteral("false"); return JsonBool.False;
                case 'n': ExpectLiteral("null"); return JsonNull.Instance;
                default:
                    if (c == '-' || (c >= '0' && c <= '9'))
                    {
                        return ParseNumber();
                    }

                    throw Error("unexpected " + Describe(position) + ", expected a value");
            }
        }

        private JsonObject ParseObjectValue()
        {
            Enter();
            position++; // '{'
            var result = new JsonObject();
            SkipWhitespace();
            if (Peek() == '}')
            {
                position++;
                depth--;
                return result;
            }

            while (true)
            {
                SkipWhitespace();
                if (Peek() != '"')
                {
                    throw Error("unexpected " + Describe(position) + ", expected a member name in double quotes");
                }

                var nameStart = position;
                var name = ParseString();
                if (result.ContainsKey(name))
                {
                    throw ErrorAt(nameStart, "duplicate member name " + JsonStringEscaper.Escape(name));
                }

                SkipWhitespace();
                if (Peek() != ':')
                {
                    throw Error("unexpected " + Describe(position) + ", expected ':' after a member name");
                }

                position++;
                SkipWhitespace();
                result.Add(name, ParseValue());
                SkipWhitespace();
                var next = Peek();
                if (next == ',')
                {
                    position++;
                    SkipWhitespace();
                    if (Peek() == '}')
                    {
                        throw Error("trailing comma before '}'");
                    }

                    continue;
                }

                if (next == '}')
                {
                    position++;
                    depth--;
                    return result;
                }

                throw Error("unexpected " + Describe(position) + ", expected ',' or '}' in an object");
            }
        }

        private JsonArray ParseArrayValue()
        {
            Enter();
            position++; // '['
            var result = new JsonArray();
            SkipWhitespace();
            if (Peek() == ']')
            {
                position++;
                depth--;
                return result;
            }

            while (true)
            {
                SkipWhitespace();
                result.Add(ParseValue());
                SkipWhitespace();
                var next = Peek();
                if (next == ',')
                {
                    position++;
                    SkipWhitespace();
                    if (Peek() == ']')
                    {
                        throw Error("trailing comma before ']'");
                    }

                    continue;
                }

                if (next == ']')
                {
                    position++;
                    depth--;
                    return result;
                }

                throw Error("unexpected " + Describe(position) + ", expected ',' or ']' in an array");
            }
        }

        private string ParseString()
        {
            position++; // opening quote

            // Fast path: most strings have no escapes and no surrogates; take them as one substring.
            var start = position;
            var scan = position;
            while (scan < text.Length)
            {
                var plain = text[scan];
                if (plain == '"' || plain == '\\' || plain < 0x20 || char.IsSurrogate(plain))
                {
                    break;
                }

                scan++;
            }

            if (scan < text.Length && text[scan] == '"')
            {
                position = scan + 1;
                return text.Substring(start, scan - start);
            }

            var builder = new StringBuilder(scan - start + 16);
            builder.Append(text, start, scan - start);
            position = scan;
            while (true)
            {
                if (position >= text.Length)
                {
                    throw Error("unterminated string");
                }

                var c = text[position];
                if (c == '"')
                {
                    position++;
                    return builder.ToString();
                }

                if (c < 0x20)
                {
                    throw Error("control character U+" + ((int)c).ToString("X4", CultureInfo.InvariantCulture) + " must be escaped in a string");
                }

                if (c == '\\')
                {
                    ParseEscape(builder);
                    continue;
                }

                if (char.IsHighSurrogate(c) && position + 1 < text.Length && char.IsLowSurrogate(text[position + 1]))
                {
                    builder.Append(c).Append(text[position + 1]);
                    position += 2;
                    continue;
                }

                if (char.IsSurrogate(c))
                {
                    throw Error("lone surrogate U+" + ((int)c).ToString("X4", CultureInfo.InvariantCulture) + " in a string");
                }

                builder.Append(c);
                position++;
            }
        }

        private void ParseEscape(StringBuilder builder)
        {
            var escapeStart = position;
            position++; // backslash
            if (position >= text.Length)
            {
                throw Error("unterminated escape sequence");
            }

            var c = text[position];
            position++;
            switch (c)
            {
                case '"': builder.Append('"'); return;
                case '\\': builder.Append('\\'); return;
                case '/': builder.Append('/'); return;
                case 'b': builder.Append('\b'); return;
                case 'f': builder.Append('\f'); return;
                case 'n': builder.Append('\n'); return;
                case 'r': builder.Append('\r'); return;
                case 't': builder.Append('\t'); return;
                case 'u':
                    var unit = ReadHex4(escapeStart);
                    if (char.IsHighSurrogate(unit))
                    {
                        if (position + 1 < text.Length && text[position] == '\\' && text[position + 1] == 'u')
                        {
                            var lowStart = position;
                            position += 2;
                            var low = ReadHex4(lowStart);
                            if (char.IsLowSurrogate(low))
                            {
                                builder.Append(unit).Append(low);
                                return;
                            }
                        }

                        throw ErrorAt(escapeStart, "lone high surrogate \\u" + ((int)unit).ToString("x4", CultureInfo.InvariantCulture) + " (not followed by a low surrogate)");
                    }

                    if (char.IsLowSurrogate(unit))
                    {
                        throw ErrorAt(escapeStart, "lone low surrogate \\u" + ((int)unit).ToString("x4", CultureInfo.InvariantCulture));
                    }

                    builder.Append(unit);
                    return;
                default:
                    throw ErrorAt(escapeStart, "invalid escape sequence '\\" + Printable(c) + "'");
            }
        }

        private char ReadHex4(int escapeStart)
        {
            if (position + 4 > text.Length)
            {
                throw ErrorAt(escapeStart, "incomplete \\u escape");
            }

            var value = 0;
            for (var i = 0; i < 4; i++)
            {
                var h = text[position + i];
                int digit;
                if (h >= '0' && h <= '9')
                {
                    digit = h - '0';
                }
                else if (h >= 'a' && h <= 'f')
                {
                    digit = h - 'a' + 10;
                }
                else if (h >= 'A' && h <= 'F')
                {
                    digit = h - 'A' + 10;
                }
                else
                {
                    throw ErrorAt(escapeStart, "invalid hex digit in \\u escape");
                }

                value = (value << 4) | digit;
            }

            position += 4;
            return (char)value;
        }

        private JsonNumber ParseNumber()
        {
            var start = position;
            if (Peek() == '-')
            {
                position++;
            }

            if (Peek() == '0')
            {
                position++;
                if (IsDigit(Peek()))
                {
                    throw ErrorAt(start, "leading zeros are not allowed in numbers");
                }
            }
            else if (IsDigit(Peek()))
            {
                SkipDigits();
            }
            else
            {
                throw Error("expected a digit in a number");
            }

            if (Peek() == '.')
            {
                position++;
                if (!IsDigit(Peek()))
                {
                    throw Error("expected a digit after the decimal point");
                }

                SkipDigits();
            }

            if (Peek() == 'e' || Peek() == 'E')
            {
                position++;
                if (Peek() == '+' || Peek() == '-')
                {
                    position++;
                }

                if (!IsDigit(Peek()))
                {
                    throw Error("expected a digit in the exponent");
                }

                SkipDigits();
            }

            var literal = text.Substring(start, position - start);
            double value;
            try
            {
                value = double.Parse(literal, NumberStyles.Float, CultureInfo.InvariantCulture);
            }
            catch (OverflowException)
            {
                // .NET Framework throws where .NET Core returns infinity; both are out of range.
                value = double.PositiveInfinity;
            }

            if (double.IsInfinity(value))
            {
                throw ErrorAt(start, "number " + literal + " is out of the range of an IEEE 754 double");
            }

            return new JsonNumber(literal, value);
        }

        private void SkipDigits()
        {
            while (IsDigit(Peek()))
            {
                position++;
            }
        }

        private static bool IsDigit(char c) => c >= '0' && c <= '9';

        private void ExpectLiteral(string literal)
        {
            if (string.CompareOrdinal(text, position, literal, 0, literal.Length) != 0)
            {
                throw Error("unexpected " + Describe(position) + ", expected a value");
            }

            position += literal.Length;
        }

        private void Enter()
        {
            depth++;
            if (depth > maxDepth)
            {
                throw Error("nesting deeper than " + maxDepth.ToString(CultureInfo.InvariantCulture) + " levels");
            }
        }

        private char Peek() => position < text.Length ? text[position] : '\0';

        private void SkipWhitespace()
        {
            while (position < text.Length)
            {
                var c = text[position];
                if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
                {
                    return;
                }

                position++;
            }
        }

        private string Describe(int at)
        {
            if (at >= text.Length)
            {
                return "end of input";
            }

            return "character '" + Printable(text[at]) + "'";
        }

        private static string Printable(char c)
        {
            if (c < 0x20 || c == 0x7F || char.IsSurrogate(c) || c == '\u2028' || c == '\u2029')
            {
                return "U+" + ((int)c).ToString("X4", CultureInfo.InvariantCulture);
            }

            return c.ToString();
        }

        private JsonParseException Error(string message) => ErrorAt(position, message);

        private JsonParseException ErrorAt(int at, string message)
        {
            var line = 1;
            var column = 1;
            for (var i = 0; i < at && i < text.Length; i++)
            {
                if (text[i] == '\n')
                {
                    line++;
                    column = 1;
                }
                else
                {
                    column++;
                }
            }

            return new JsonParseException(line, column, System.Math.Min(at, text.Length), message);
        }
    }
}
