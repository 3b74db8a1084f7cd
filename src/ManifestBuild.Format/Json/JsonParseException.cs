using System.Globalization;

namespace ManifestBuild.Format.Json
{
    /// <summary>
    /// DSRS0100 with where the text went wrong as values: a caller that points at the spot (the
    /// generator's diagnostic location, an editor) reads these instead of parsing the message.
    /// </summary>
    public sealed class JsonParseException : DsrsException
    {
        public JsonParseException(int line, int column, int offset, string reason)
            : base(FormatErrorCodes.InvalidJson, "invalid JSON at line " + line.ToString(CultureInfo.InvariantCulture) + ", column " + column.ToString(CultureInfo.InvariantCulture) + ": " + reason)
        {
            Line = line;
            Column = column;
            Offset = offset;
            Reason = reason;
        }

        /// <summary>1-based line (lines end at '\n').</summary>
        public int Line { get; }

        /// <summary>1-based column, in UTF-16 code units.</summary>
        public int Column { get; }

        /// <summary>0-based offset into the text, in UTF-16 code units.</summary>
        public int Offset { get; }

        /// <summary>What was wrong, without the position.</summary>
        public string Reason { get; }
    }
}
