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
    /// Turns one dsrs.dataset/1 file into a <see cref="DatasetModel"/>. The field schema is read by the
    /// manifests' own <see cref="SchemaReader"/> and the examples checked by their <see cref="DemoReader"/>
    /// (examples have the demos' shape), with the dataset's codes: a schema that cannot be typed leaves a
    /// model without fields (the class keeps its constants) and a warning naming why.
    /// </summary>
    internal sealed class DatasetParser : FileParser
    {
        /// <summary>The members of the generated dataset class and of System.Object.</summary>
        public static readonly HashSet<string> ReservedClassMembers = new HashSet<string>(StringComparer.Ordinal)
        {
            "Name", "ResourceName", "DatasetId", "Family", "ExampleCount", "CreatedAt", "Example", "Examples",
            "Equals", "GetHashCode", "ToString", "GetType", "MemberwiseClone", "Finalize", "ReferenceEquals",
        };

        /// <summary>The record's own name (CS0542) and the members every record has.</summary>
        public static readonly HashSet<string> ReservedRecordMembers = new HashSet<string>(StringComparer.Ordinal)
        {
            "Example", "EqualityContract", "Equals", "GetHashCode", "ToString", "PrintMembers", "Deconstruct",
            "GetType", "MemberwiseClone", "Finalize", "ReferenceEquals",
        };

        private static readonly SchemaCodes DatasetCodes = new SchemaCodes(
            GeneratorDiagnostics.DatasetUntypable,
            GeneratorDiagnostics.DatasetExampleMismatch,
            GeneratorDiagnostics.DatasetUnknownFieldType,
            GeneratorDiagnostics.DatasetInvalidMemberName,
            GeneratorDiagnostics.DatasetDuplicateName,
            GeneratorDiagnostics.DatasetNameTooLong,
            ReservedRecordMembers,
            ReservedClassMembers);

        private readonly DatasetFile file;

        private DatasetParser(DatasetFile file)
            : base(file.Path, file.ItemName, DatasetCodes)
        {
            this.file = file;
        }

        public static DatasetResult Parse(DatasetFile file, NamespaceInfo ns, CancellationToken cancellationToken)
        {
            var parser = new DatasetParser(file);
            var model = parser.Run(ns, cancellationToken);
            var failed = parser.Diagnostics.Any(d => GeneratorDiagnostics.Get(d.Id).DefaultSeverity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error);
            return new DatasetResult(file.Path, failed ? null : model, new EquatableArray<DiagnosticInfo>(parser.Diagnostics));
        }

        private DatasetModel? Run(NamespaceInfo ns, CancellationToken cancellationToken)
        {
            var className = Identifiers.ToVerbatimIdentifier(file.ItemName);
            if (className is null || className.TrimStart('@') == Emitting.DatasetEmitter.ContainerName || className == "_")
            {
                Report(GeneratorDiagnostics.InvalidDatasetName, Shorten(file.ItemName), $"is not a usable C# class name: use ASCII letters, digits and '_', starting with a letter, and not '{Emitting.DatasetEmitter.ContainerName}'");
                return null;
            }

            if (ns.Error != null)
            {
                Report(GeneratorDiagnostics.InvalidNamespace, ns.Error);
                return null;
            }

            if (file.Text is null)
            {
                NotVerified($"the file '{file.Path}' could not be read");
                return null;
            }

            if (file.Length > GeneratorDiagnostics.MaxDatasetChars)
            {
                Invalid($"it is {file.Length.ToString(CultureInfo.InvariantCulture)} characters long; the generator types datasets of at most {GeneratorDiagnostics.MaxDatasetChars.ToString(CultureInfo.InvariantCulture)} (64 MiB); read the embedded resource Dsrs.Datasets.{file.ItemName}.json instead");
                return null;
            }

            var dataset = Read(cancellationToken);
            if (dataset is null)
            {
                return null;
            }

            var datasetId = CheckId(dataset);
            if (datasetId is null)
            {
                return null;
            }

            var reader = new MemberReader(this, dataset, "the dataset");
            var examples = dataset.TryGetValue("examples", out var rows) && rows.AsArray() is JsonArray list ? list.Count : 0;
            var fields = TypedFields(dataset, className.TrimStart('@'));
            return new DatasetModel(
                Namespace: ns.Namespace,
                ClassName: className,
                ItemName: file.ItemName,
                DatasetId: datasetId,
                Family: reader.OptionalString("family"),
                ExampleCount: examples,
                CreatedAt: reader.OptionalInteger("created_at"),
                Typed: fields != null,
                Fields: new EquatableArray<DatasetField>(fields ?? new List<DatasetField>()));
        }

        /// <summary>The text as a dsrs.dataset/1 object, or null after DSRS1020.</summary>
        private JsonObject? Read(CancellationToken cancellationToken)
        {
            if (HasLoneSurrogate(file.Text!))
            {
                NotVerified("the text holds an unpaired UTF-16 surrogate, so it is not well-formed Unicode");
                return null;
            }

            JsonValue root;
            try
            {
                root = JsonParser.Parse(file.Text!);
            }
            catch (JsonParseException e)
            {
                var line = Math.Max(0, e.Line - 1);
                var column = Math.Max(0, e.Column - 1);
                ReportAt(new LocationInfo(file.Path, e.Offset, 0, line, column, line, column), GeneratorDiagnostics.DatasetNotVerified, ItemName, "it is not valid JSON: " + Shorten(e.Message));
                return null;
            }

            cancellationToken.ThrowIfCancellationRequested();
            var dataset = root.AsObject();
            if (dataset is null)
            {
                NotVerified($"the top level is {root.KindName()}, not an object");
                return null;
            }

            if (!dataset.TryGetValue("format", out var format) || format.AsString() != "dsrs.dataset/1")
            {
                NotVerified("its 'format' is not 'dsrs.dataset/1'");
                return null;
            }

            return dataset;
        }

        /// <summary>The stated dataset_id, which must be the content's hash (the build verified it; an edit since then is caught here).</summary>
        private string? CheckId(JsonObject dataset)
        {
            var stated = dataset.TryGetValue("dataset_id", out var value) ? value.AsString() : null;
            var hashed = new JsonObject();
            foreach (var member in dataset.Where(m => m.Key != "dataset_id"))
            {
                hashed.Add(member.Key, member.Value);
            }

            string computed;
            try
            {
                computed = CompiledId.Sha256Hex(JsonCanonicalizer.CanonicalizeToUtf8(hashed));
            }
            catch (DsrsException e)
            {
                NotVerified("its dataset_id cannot be computed: " + Shorten(e.Message));
                return null;
            }

            if (stated is null || !string.Equals(stated, computed, StringComparison.Ordinal))
            {
                NotVerified(stated is null
                    ? $"it states no dataset_id (its content hashes to {computed})"
                    : $"it states dataset_id {Shorten(stated)} but its content hashes to {computed}: it was altered after the build verified it");
                return null;
            }

            return computed;
        }

        /// <summary>The schema's fields, inputs then outputs, when every name types and every example fits; else null (warnings say why).</summary>
        private List<DatasetField>? TypedFields(JsonObject dataset, string className)
        {
            var schema = new SchemaReader(this, className);
            var inputs = schema.Fields(dataset, "inputs");
            var outputs = schema.Fields(dataset, "outputs");
            schema.CheckNames(inputs.Concat(outputs).ToList());
            if (Diagnostics.Count > 0)
            {
                return null;
            }

            if (outputs.Count == 0)
            {
                Invalid("'outputs' lists no field");
                return null;
            }

            new DemoReader(this).Read(dataset, true, inputs, outputs, new List<DemoModel>(), new List<UntypedDemoModel>(), "examples");
            if (Diagnostics.Count > 0)
            {
                return null;
            }

            return inputs.Select(f => new DatasetField(false, f)).Concat(outputs.Select(f => new DatasetField(true, f))).ToList();
        }

        private void NotVerified(string problem) => Report(GeneratorDiagnostics.DatasetNotVerified, ItemName, problem);
    }
}
