using System.Linq;
using ManifestBuild.Generator.Model;

namespace ManifestBuild.Generator.Emitting
{
    /// <summary>Writes <c>DsrsManifests.All</c>: every manifest baked into the assembly, per namespace.</summary>
    internal static class RegistryEmitter
    {
        public const string ClassName = "DsrsManifests";
        public const string HintName = "DsrsManifests.g.cs";

        public static string Emit(EquatableArray<RegistryEntry> entries)
        {
            var w = new SourceWriter();
            ManifestEmitter.FileHeader(w);
            foreach (var group in entries.GroupBy(e => e.Namespace).OrderBy(g => g.Key, System.StringComparer.Ordinal))
            {
                w.OpenBlock($"namespace {group.Key}");
                w.WriteLine($"[global::System.CodeDom.Compiler.GeneratedCode({CSharpLiteral.String(GeneratorInfo.Name)}, {CSharpLiteral.String(GeneratorInfo.Version)})]");
                w.OpenBlock($"public static partial class {ClassName}");
                var info = ManifestEmitter.Runtime + "ManifestInfo";
                w.WriteLine($"public static global::System.Collections.Generic.IReadOnlyList<{info}> All {{ get; }} = new {info}[]");
                w.WriteLine("{");
                w.Indent();
                foreach (var entry in group.OrderBy(e => e.ItemName, System.StringComparer.Ordinal))
                {
                    w.WriteLine($"new {info}({CSharpLiteral.String(entry.ItemName)}, {CSharpLiteral.Text(entry.SignatureName)}, {CSharpLiteral.String(entry.CompiledId)}, {CSharpLiteral.NullableText(entry.Family)}, typeof(global::{entry.Namespace}.{entry.ClassName})),");
                }

                w.Unindent();
                w.WriteLine("};");
                w.CloseBlock();
                w.CloseBlock();
            }

            return w.ToString();
        }
    }
}
