using System.Text;

namespace ManifestBuild.Generator.Emitting
{
    /// <summary>An indented writer for generated source; lines end with LF so output is the same on every OS.</summary>
    internal sealed class SourceWriter
    {
        private const string IndentUnit = "    ";
        private readonly StringBuilder builder = new StringBuilder();
        private int indent;

        public void WriteLine(string line)
        {
            if (line.Length > 0)
            {
                for (var i = 0; i < indent; i++)
                {
                    builder.Append(IndentUnit);
                }

                builder.Append(line);
            }

            builder.Append('\n');
        }

        public void WriteLine() => builder.Append('\n');

        public void OpenBlock(string header)
        {
            WriteLine(header);
            WriteLine("{");
            indent++;
        }

        public void CloseBlock(string suffix = "")
        {
            indent--;
            WriteLine("}" + suffix);
        }

        public void Indent() => indent++;

        public void Unindent() => indent--;

        public override string ToString() => builder.ToString();
    }
}
