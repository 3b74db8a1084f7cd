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
    /// The datasets' half of the generator: each AdditionalFile with DsrsDatasetName metadata (the build's
    /// verified dsrs.dataset/1 file, also embedded as <c>Dsrs.Datasets.&lt;Name&gt;.json</c>) becomes
    /// <c>Datasets.&lt;Name&gt;</c>. Read -> parse into a value-equatable model -> emit, per file, with
    /// diagnostics and sources leaving through outputs of their own, as for manifests.
    /// </summary>
    internal static class DatasetPipeline
    {
        public const string NameMetadata = "build_metadata.AdditionalFiles.DsrsDatasetName";

        public static void Initialize(IncrementalGeneratorInitializationContext context, IncrementalValueProvider<NamespaceInfo> ns)
        {
            var results = context.AdditionalTextsProvider
                .Combine(context.AnalyzerConfigOptionsProvider)
                .Select((pair, cancellationToken) => ReadFile(pair.Left, pair.Right, cancellationToken))
                .Where(file => file != null)
                .Select((file, _) => file!)
                .WithTrackingName(TrackingNames.DatasetFiles)
                .Combine(ns)
                .Select((pair, cancellationToken) => DatasetParser.Parse(pair.Left, pair.Right, cancellationToken))
                .WithTrackingName(TrackingNames.DatasetParsed);

            var diagnostics = results
                .Select((result, _) => result.Diagnostics)
                .WithTrackingName(TrackingNames.DatasetDiagnostics);
            context.RegisterSourceOutput(diagnostics, (spc, list) =>
            {
                foreach (var diagnostic in list)
                {
                    spc.ReportDiagnostic(ManifestGenerator.ToDiagnostic(diagnostic));
                }
            });

            var models = results
                .Select((result, _) => result.Model)
                .Where(model => model != null)
                .Select((model, _) => model!)
                .WithTrackingName(TrackingNames.DatasetModels);
            context.RegisterSourceOutput(models, (spc, model) =>
                spc.AddSource(DatasetEmitter.HintName(model), SourceText.From(DatasetEmitter.Emit(model), Encoding.UTF8)));
        }

        private static DatasetFile? ReadFile(AdditionalText text, AnalyzerConfigOptionsProvider options, System.Threading.CancellationToken cancellationToken)
        {
            if (!options.GetOptions(text).TryGetValue(NameMetadata, out var name) || string.IsNullOrWhiteSpace(name))
            {
                return null;
            }

            var source = text.GetText(cancellationToken);
            if (source is null)
            {
                return new DatasetFile(text.Path, name.Trim(), null, 0);
            }

            // Over the limit: keep the length only, so a huge file is never held in the pipeline.
            var content = source.Length > GeneratorDiagnostics.MaxDatasetChars ? string.Empty : source.ToString();
            return new DatasetFile(text.Path, name.Trim(), content, source.Length);
        }
    }
}
