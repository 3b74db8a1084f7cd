using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Text;
using ManifestBuild.Generator.Emitting;
using ManifestBuild.Generator.Model;
using ManifestBuild.Generator.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace ManifestBuild.Generator
{
    /// <summary>
    /// Turns each manifest the build hands over (an AdditionalFiles item with DsrsManifestName metadata)
    /// into a typed class, plus one registry class for the assembly; each dataset (DsrsDatasetName) into
    /// a class of typed examples (<see cref="DatasetPipeline"/>). Pipeline: read file -> parse into a
    /// value-equatable model -> emit; each step has a tracking name so tests can prove caching.
    /// </summary>
    [Generator(LanguageNames.CSharp)]
    public sealed class ManifestGenerator : IIncrementalGenerator
    {
        public const string NameMetadata = "build_metadata.AdditionalFiles.DsrsManifestName";
        public const string CompiledIdMetadata = "build_metadata.AdditionalFiles.DsrsCompiledId";
        public const string NamespaceProperty = "build_property.DsrsNamespace";
        public const string RootNamespaceProperty = "build_property.RootNamespace";

        public void Initialize(IncrementalGeneratorInitializationContext context)
        {
            var files = context.AdditionalTextsProvider
                .Combine(context.AnalyzerConfigOptionsProvider)
                .Select((pair, cancellationToken) => ReadFile(pair.Left, pair.Right, cancellationToken))
                .Where(file => file != null)
                .Select((file, _) => file!)
                .WithTrackingName(TrackingNames.ManifestFiles);

            var ns = context.AnalyzerConfigOptionsProvider
                .Select((options, _) => ResolveNamespace(options.GlobalOptions))
                .WithTrackingName(TrackingNames.Namespace);

            var results = files
                .Combine(ns)
                .Select((pair, cancellationToken) => ManifestParser.Parse(pair.Left, pair.Right, cancellationToken))
                .WithTrackingName(TrackingNames.Parsed);

            // Class names used by more than one manifest; a value that rarely changes, so editing one
            // manifest leaves the others' emit steps cached.
            var duplicates = results
                .Select((result, _) => result.ClassName ?? string.Empty)
                .Collect()
                .Select((names, _) => new EquatableArray<string>(names.Where(n => n.Length > 0).GroupBy(n => n).Where(g => g.Count() > 1).Select(g => g.Key).OrderBy(n => n, System.StringComparer.Ordinal)))
                .WithTrackingName(TrackingNames.DuplicateClasses);

            var outputs = results
                .Combine(duplicates)
                .Select((pair, _) => Finish(pair.Left, pair.Right))
                .WithTrackingName(TrackingNames.Output);

            // Diagnostics and sources leave through outputs of their own (as System.Text.Json's generator
            // does): a change to one leaves the other's output step cached.
            var diagnostics = outputs
                .Select((result, _) => result.Diagnostics)
                .WithTrackingName(TrackingNames.Diagnostics);
            context.RegisterSourceOutput(diagnostics, (spc, list) =>
            {
                foreach (var diagnostic in list)
                {
                    spc.ReportDiagnostic(ToDiagnostic(diagnostic));
                }
            });

            var models = outputs
                .Select((result, _) => result.Model)
                .Where(model => model != null)
                .Select((model, _) => model!)
                .WithTrackingName(TrackingNames.Models);
            context.RegisterSourceOutput(models, (spc, model) =>
                spc.AddSource(ManifestEmitter.HintName(model), SourceText.From(ManifestEmitter.Emit(model), Encoding.UTF8)));

            var registry = models
                .Select((model, _) => new RegistryEntry(model.Namespace, model.ClassName, model.ItemName, model.SignatureName, model.CompiledId, model.Family))
                .Collect()
                .Select((entries, _) => new EquatableArray<RegistryEntry>(entries.OrderBy(e => e.ItemName, System.StringComparer.Ordinal)))
                .WithTrackingName(TrackingNames.Registry);

            context.RegisterSourceOutput(registry, (spc, entries) =>
            {
                if (entries.Count > 0)
                {
                    spc.AddSource(RegistryEmitter.HintName, SourceText.From(RegistryEmitter.Emit(entries), Encoding.UTF8));
                }
            });

            DatasetPipeline.Initialize(context, ns);
        }

        private static ManifestFile? ReadFile(AdditionalText text, AnalyzerConfigOptionsProvider options, System.Threading.CancellationToken cancellationToken)
        {
            var fileOptions = options.GetOptions(text);
            if (!fileOptions.TryGetValue(NameMetadata, out var name) || string.IsNullOrWhiteSpace(name))
            {
                return null;
            }

            fileOptions.TryGetValue(CompiledIdMetadata, out var expected);
            var source = text.GetText(cancellationToken);
            if (source is null)
            {
                return new ManifestFile(text.Path, name.Trim(), expected ?? string.Empty, null, 0);
            }

            // Over the limit: keep the length only, so a huge file is never held in the pipeline.
            var content = source.Length > GeneratorDiagnostics.MaxManifestChars ? string.Empty : source.ToString();
            return new ManifestFile(text.Path, name.Trim(), expected ?? string.Empty, content, source.Length);
        }

        private static NamespaceInfo ResolveNamespace(AnalyzerConfigOptions options)
        {
            if (options.TryGetValue(NamespaceProperty, out var configured) && !string.IsNullOrWhiteSpace(configured))
            {
                var safe = Identifiers.ToNamespace(configured.Trim());
                return safe != null
                    ? new NamespaceInfo(safe, null)
                    : new NamespaceInfo("Manifests", $"DsrsNamespace '{ManifestParser.Shorten(configured)}' is not a valid C# namespace (dotted ASCII identifiers)");
            }

            if (options.TryGetValue(RootNamespaceProperty, out var root) && !string.IsNullOrWhiteSpace(root))
            {
                var safe = Identifiers.ToNamespace(root.Trim() + ".Manifests");
                return safe != null
                    ? new NamespaceInfo(safe, null)
                    : new NamespaceInfo("Manifests", $"RootNamespace '{ManifestParser.Shorten(root)}' does not make a valid C# namespace; set DsrsNamespace");
            }

            return new NamespaceInfo("Manifests", null);
        }

        private static ManifestResult Finish(ManifestResult result, EquatableArray<string> duplicates)
        {
            if (result.ClassName is null || !duplicates.Contains(result.ClassName))
            {
                return result;
            }

            var diagnostic = new DiagnosticInfo(
                GeneratorDiagnostics.DuplicateClass,
                new EquatableArray<string>(new[] { result.ClassName.TrimStart('@') }),
                LocationInfo.WholeFile(result.Path));
            return new ManifestResult(result.Path, result.ClassName, null, new EquatableArray<DiagnosticInfo>(result.Diagnostics.Concat(new[] { diagnostic })));
        }

        internal static Diagnostic ToDiagnostic(DiagnosticInfo info)
        {
            var l = info.Location;
            var location = Location.Create(l.Path, new TextSpan(l.Start, l.Length), new LinePositionSpan(new LinePosition(l.StartLine, l.StartColumn), new LinePosition(l.EndLine, l.EndColumn)));
            return Diagnostic.Create(GeneratorDiagnostics.Get(info.Id), location, info.Arguments.Cast<object>().ToArray());
        }
    }

    /// <summary>The names of the pipeline's steps, for tests that check what was cached.</summary>
    public static class TrackingNames
    {
        public const string ManifestFiles = "ManifestFiles";
        public const string Namespace = "Namespace";
        public const string Parsed = "Parsed";
        public const string DuplicateClasses = "DuplicateClasses";
        public const string Output = "Output";
        public const string Diagnostics = "Diagnostics";
        public const string Models = "Models";
        public const string Registry = "Registry";
        public const string DatasetFiles = "DatasetFiles";
        public const string DatasetParsed = "DatasetParsed";
        public const string DatasetDiagnostics = "DatasetDiagnostics";
        public const string DatasetModels = "DatasetModels";
    }
}
