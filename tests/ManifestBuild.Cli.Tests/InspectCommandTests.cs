using System.Reflection;
using System.Reflection.Emit;
using System.Text.Json;
using ManifestBuild.Cli;
using ManifestBuild.TestSupport;

namespace InspectFixtures
{
    /// <summary>Stands in for ManifestBuild.Runtime's attribute: inspect matches the type by its name.</summary>
    [AttributeUsage(AttributeTargets.Assembly, AllowMultiple = true)]
    public sealed class DsrsManifestAttribute(string name, string signatureName, string compiledId) : Attribute
    {
        public string Name { get; } = name;

        public string SignatureName { get; } = signatureName;

        public string CompiledId { get; } = compiledId;
    }
}

namespace ManifestBuild.Cli.Tests
{
    /// <summary>`dsrs inspect` reads the manifests an assembly carries from its metadata.</summary>
    public class InspectCommandTests
    {
        private static readonly string IdA = new('a', 64);
        private static readonly string IdB = new('b', 64);

        [Fact]
        public async Task ListsManifestAttributesAsTableAndJson()
        {
            using var temp = new TempDirectory("inspect");
            var dll = WriteAssembly(temp.Combine("Agent.dll"), ("Planner", "PlanSignature", IdB), ("ComplexityClassification", "ComplexitySignature\"x", IdA));

            var (code, output, _) = await RunAsync("inspect", dll);
            Assert.Equal(0, code);
            var lines = output.TrimEnd().Split('\n');
            Assert.Equal(2, lines.Length);
            Assert.StartsWith("ComplexityClassification  ComplexitySignature\"x  " + IdA, lines[0]);
            Assert.StartsWith("Planner", lines[1]);
            Assert.EndsWith(IdB, lines[1]);

            (code, output, _) = await RunAsync("inspect", dll, "--json");
            Assert.Equal(0, code);
            using var json = JsonDocument.Parse(output);
            var items = json.RootElement.EnumerateArray().ToList();
            Assert.Equal(2, items.Count);
            Assert.Equal("ComplexityClassification", items[0].GetProperty("name").GetString());
            Assert.Equal("ComplexitySignature\"x", items[0].GetProperty("signature_name").GetString());
            Assert.Equal(IdA, items[0].GetProperty("compiled_id").GetString());
        }

        [Fact]
        public async Task AssemblyWithoutManifestsSaysSo()
        {
            using var temp = new TempDirectory("inspect");
            var dll = WriteAssembly(temp.Combine("Empty.dll"));

            var (code, output, _) = await RunAsync("inspect", dll, "--json");
            Assert.Equal(0, code);
            Assert.Equal("[]", output.Trim());
            (code, output, _) = await RunAsync("inspect", dll);
            Assert.Contains("no manifests", output);
        }

        [Fact]
        public async Task NonAssemblyAndMissingFilesAreRefused()
        {
            using var temp = new TempDirectory("inspect");
            var text = temp.Write("notes.dll", "this is not a PE file");

            var (code, _, error) = await RunAsync("inspect", text);
            Assert.Equal(1, code);
            Assert.StartsWith("DSRS1090:", error);

            (code, _, error) = await RunAsync("inspect", temp.Combine("missing.dll"));
            Assert.Equal(1, code);
            Assert.Contains("does not exist", error);
        }

        private static string WriteAssembly(string path, params (string Name, string Signature, string Id)[] manifests)
        {
            var builder = new PersistedAssemblyBuilder(new AssemblyName(Path.GetFileNameWithoutExtension(path)), typeof(object).Assembly);
            var module = builder.DefineDynamicModule(Path.GetFileNameWithoutExtension(path));
            module.DefineType("Agent.Program", TypeAttributes.Public | TypeAttributes.Class).CreateType();
            var constructor = typeof(InspectFixtures.DsrsManifestAttribute).GetConstructor([typeof(string), typeof(string), typeof(string)])!;
            foreach (var (name, signature, id) in manifests)
            {
                builder.SetCustomAttribute(new CustomAttributeBuilder(constructor, [name, signature, id]));
            }

            builder.Save(path);
            return path;
        }

        private static async Task<(int Code, string Out, string Error)> RunAsync(params string[] args)
        {
            var output = new StringWriter();
            var error = new StringWriter();
            var code = await Program.RunAsync(args, new CliContext { Out = output, Error = error, Env = _ => null });
            return (code, output.ToString(), error.ToString());
        }
    }
}
