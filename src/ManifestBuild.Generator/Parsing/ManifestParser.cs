using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using ManifestBuild.Format;
using ManifestBuild.Format.Json;
using ManifestBuild.Generator.Model;

namespace ManifestBuild.Generator.Parsing
{
    /// <summary>
    /// Turns one manifest file into a <see cref="ManifestModel"/>, or into diagnostics that say what is
    /// wrong with it. Everything a stranger wrote is checked here, so the emitter only ever sees names
    /// that are valid identifiers and values that match their declared types.
    /// </summary>
    internal sealed class ManifestParser : FileParser
    {
        /// <summary>A manifest that breaks a schema rule yields no class: each is an error.</summary>
        private static readonly SchemaCodes ManifestCodes = new SchemaCodes(
            GeneratorDiagnostics.InvalidManifest,
            GeneratorDiagnostics.InvalidManifest,
            GeneratorDiagnostics.UnknownFieldType,
            GeneratorDiagnostics.InvalidMemberName,
            GeneratorDiagnostics.DuplicateName,
            GeneratorDiagnostics.NameTooLong,
            Identifiers.ReservedRecordMembers,
            Identifiers.ReservedClassMembers);

        private readonly ManifestFile file;

        private ManifestParser(ManifestFile file)
            : base(file.Path, file.ItemName, ManifestCodes)
        {
            this.file = file;
        }

        public static ManifestResult Parse(ManifestFile file, NamespaceInfo ns, CancellationToken cancellationToken)
        {
            var parser = new ManifestParser(file);
            var className = Identifiers.ToVerbatimIdentifier(file.ItemName);
            var model = parser.Run(ns, className, cancellationToken);
            return new ManifestResult(file.Path, className, parser.Diagnostics.Count == 0 ? model : null, new EquatableArray<DiagnosticInfo>(parser.Diagnostics));
        }

        private ManifestModel? Run(NamespaceInfo ns, string? className, CancellationToken cancellationToken)
        {
            if (file.Text is null)
            {
                Report(GeneratorDiagnostics.UnreadableManifest, file.ItemName, $"the file '{file.Path}' could not be read");
                return null;
            }

            if (file.Length > GeneratorDiagnostics.MaxManifestChars)
            {
                Report(GeneratorDiagnostics.ManifestTooLarge, file.ItemName, file.Length.ToString(CultureInfo.InvariantCulture), GeneratorDiagnostics.MaxManifestChars.ToString(CultureInfo.InvariantCulture));
                return null;
            }

            if (className is null || className.TrimStart('@') == Emitting.RegistryEmitter.ClassName || className.TrimStart('@') == Emitting.DatasetEmitter.ContainerName || className == "_")
            {
                Report(GeneratorDiagnostics.InvalidClassName, Shorten(file.ItemName), $"is not a usable C# class name: use ASCII letters, digits and '_', starting with a letter, and not '{Emitting.RegistryEmitter.ClassName}' or '{Emitting.DatasetEmitter.ContainerName}'");
            }
            else if (Identifiers.ReservedClassMembers.Contains(className))
            {
                // A class may not have a member of its own name (CS0542).
                Report(GeneratorDiagnostics.InvalidClassName, className, $"is the name of a member the generated class declares; rename the item (e.g. '{className}Manifest')");
            }

            if (ns.Error != null)
            {
                Report(GeneratorDiagnostics.InvalidNamespace, ns.Error);
            }

            if (HasLoneSurrogate(file.Text))
            {
                Report(GeneratorDiagnostics.UnreadableManifest, file.ItemName, "the text holds an unpaired UTF-16 surrogate, so it is not well-formed Unicode");
                return null;
            }

            JsonValue root;
            try
            {
                root = JsonParser.Parse(file.Text);
            }
            catch (JsonParseException e)
            {
                ReportJsonError(e);
                return null;
            }

            cancellationToken.ThrowIfCancellationRequested();
            foreach (var inexact in InexactNumbers.Find(root))
            {
                Report(GeneratorDiagnostics.InexactNumber, file.ItemName, inexact.Key, Shorten(inexact.Value));
            }

            var manifest = root.AsObject();
            if (manifest is null)
            {
                Invalid($"the top level is {root.KindName()}, not an object");
                return null;
            }

            var compiledId = CheckCompiledId(manifest);
            var reader = new MemberReader(this, manifest, "the manifest");
            var signatureName = reader.RequiredString("signature_name");
            var format = reader.OptionalString("format");
            if (format != null && format != "dsrs.manifest/1")
            {
                Invalid($"'format' is '{Shorten(format)}'; this generator understands dsrs.manifest/1");
            }

            var adapter = AdapterKind.Chat;
            var adapterName = reader.OptionalString("adapter");
            if (adapterName == "json")
            {
                adapter = AdapterKind.Json;
            }
            else if (adapterName != null && adapterName != "chat")
            {
                Invalid($"'adapter' is '{Shorten(adapterName)}'; expected 'chat' or 'json'");
            }

            var schema = new SchemaReader(this, className?.TrimStart('@') ?? string.Empty);
            var hasSchema = manifest.TryGetValue("inputs", out _) || manifest.TryGetValue("outputs", out _);
            var inputs = hasSchema ? schema.Fields(manifest, "inputs") : new List<FieldModel>();
            var outputs = hasSchema ? schema.Fields(manifest, "outputs") : new List<FieldModel>();
            if (hasSchema)
            {
                schema.CheckNames(inputs.Concat(outputs).ToList());
                if (manifest.TryGetValue("outputs", out var declared) && declared.AsArray() is { Count: 0 } || !manifest.TryGetValue("outputs", out _))
                {
                    Invalid("'outputs' lists no field; a signature with a schema needs at least one output");
                }
            }

            var demos = new List<DemoModel>();
            var untypedDemos = new List<UntypedDemoModel>();
            new DemoReader(this).Read(manifest, hasSchema, inputs, outputs, demos, untypedDemos);

            var model = new ManifestModel(
                Namespace: ns.Namespace,
                ClassName: className ?? string.Empty,
                ItemName: file.ItemName,
                SignatureName: signatureName ?? string.Empty,
                CompiledId: compiledId ?? string.Empty,
                Family: reader.OptionalString("family"),
                Optimizer: reader.OptionalString("optimizer"),
                Instruction: reader.OptionalString("instruction") ?? string.Empty,
                Adapter: adapter,
                Json: file.Text,
                Scorecard: ReadScorecard(manifest),
                DomainTags: new EquatableArray<string>(reader.OptionalStringArray("domain_tags")),
                ExampleCount: reader.OptionalInteger("example_count"),
                CreatedAt: reader.OptionalInteger("created_at"),
                TrainsetId: reader.OptionalString("trainset_id"),
                HasSchema: hasSchema,
                Inputs: new EquatableArray<FieldModel>(inputs),
                Outputs: new EquatableArray<FieldModel>(outputs),
                Demos: new EquatableArray<DemoModel>(demos),
                UntypedDemos: new EquatableArray<UntypedDemoModel>(untypedDemos));
            return model;
        }

        private string? CheckCompiledId(JsonObject manifest)
        {
            string computed;
            try
            {
                computed = CompiledId.Compute(manifest);
            }
            catch (DsrsException e)
            {
                Invalid("its compiled_id cannot be computed: " + e.Message);
                return null;
            }

            if (manifest.TryGetValue("compiled_id", out var stated))
            {
                var text = stated.AsString();
                if (text is null)
                {
                    Invalid($"'compiled_id' is {stated.KindName()}, not a string");
                }
                else if (!string.Equals(text, computed, StringComparison.Ordinal))
                {
                    Report(GeneratorDiagnostics.CompiledIdMismatchContent, file.ItemName, Shorten(text), computed);
                }
            }

            var expected = file.ExpectedCompiledId.Trim();
            if (expected.Length > 0 && !string.Equals(expected, computed, StringComparison.OrdinalIgnoreCase))
            {
                Report(GeneratorDiagnostics.CompiledIdMismatchExpected, file.ItemName, computed, Shorten(expected));
            }

            return computed;
        }

        private ScorecardModel? ReadScorecard(JsonObject manifest)
        {
            if (!manifest.TryGetValue("scorecard", out var value) || value.Kind == JsonValueKind.Null)
            {
                return null;
            }

            var card = value.AsObject();
            if (card is null)
            {
                Invalid($"'scorecard' is {value.KindName()}, not an object");
                return null;
            }

            var reader = new MemberReader(this, card, "'scorecard'");
            return new ScorecardModel(
                reader.OptionalNumber("median_score"),
                reader.OptionalInteger("rollouts"),
                reader.OptionalNumber("p_fail"),
                reader.OptionalNumber("accuracy"),
                reader.OptionalInteger("holdout_size"),
                reader.OptionalString("metric"));
        }

        private void ReportJsonError(JsonParseException e)
        {
            var line = Math.Max(0, e.Line - 1);
            var column = Math.Max(0, e.Column - 1);
            var location = new LocationInfo(file.Path, e.Offset, 0, line, column, line, column);
            ReportAt(location, GeneratorDiagnostics.InvalidJson, file.ItemName, Shorten(e.Message));
        }
    }
}
