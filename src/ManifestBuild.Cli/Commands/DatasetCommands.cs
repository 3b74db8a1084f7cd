using System.CommandLine;
using ManifestBuild.Cli.Presenters;
using ManifestBuild.Format;
using ManifestBuild.Format.Datasets;
using ManifestBuild.Market.Redaction;

namespace ManifestBuild.Cli;

internal static class DatasetCommands
{
    /// <summary>dsrs dataset import | id | verify | export | noise | filter: training datasets as assets (dsrs.dataset/1).</summary>
    public static void AddTo(RootCommand root, CliContext context)
    {
        var dataset = new Command("dataset", "Import, check, export and protect training datasets (dsrs.dataset/1); `dsrs redact` redacts them.");
        dataset.Subcommands.Add(DatasetImportCommand(context));
        dataset.Subcommands.Add(ContentIdVerbs.Id(context, ContentIdVerbs.Datasets, "Print the dataset_id recomputed from a dataset's content.", "dataset", "Write the recomputed dataset_id (and example_count) into the file."));
        dataset.Subcommands.Add(ContentIdVerbs.Verify(context, ContentIdVerbs.Datasets, "Check that a dataset is valid and its stated dataset_id matches its content.", "dataset"));
        dataset.Subcommands.Add(DatasetExportCommand(context));
        dataset.Subcommands.Add(DatasetNoiseCommand(context));
        dataset.Subcommands.Add(DatasetFilterCommand(context));
        root.Subcommands.Add(dataset);
    }

    private static Command DatasetImportCommand(CliContext context)
    {
        var input = new Argument<FileInfo>("examples") { Description = "Examples: {\"<family>_examples\": [...]}, a DSPy example list, JSON lines, or {inputs, outputs} rows." };
        var output = new Option<string>("--output", "-o") { Description = "The dsrs.dataset/1 file to write.", Required = true };
        var family = new Option<string>("--family") { Description = "The family (default: the group name without _examples)." };
        var domains = new Option<string[]>("--domain") { Description = "A domain tag (repeatable)." };
        var inputs = new Option<string[]>("--input") { Description = "An input field name, as DSPy's with_inputs (repeatable; default: every field that is not an output)." };
        var outputs = new Option<string[]>("--output-field") { Description = "An output field name (repeatable; default: expected_*, label, answer, output, confidence)." };
        var publicRepo = new Option<string[]>("--public-repo") { Description = "The examples came from this public repository (repeatable); without it they are recorded as private work." };
        var description = new Option<string>("--description") { Description = "What the examples are, for the listing." };
        var command = new Command("import", "Turn examples into a dsrs.dataset/1 file with a field schema and a dataset_id.");
        command.Arguments.Add(input);
        foreach (var option in new Option[] { output, family, domains, inputs, outputs, publicRepo, description })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (ParseResult r, CancellationToken ct) =>
        {
            var repos = r.GetValue(publicRepo) ?? [];
            var imported = DatasetImporter.Import(Manifest.ReadText(r.GetValue(input)!.FullName), new DatasetImportOptions
            {
                Family = r.GetValue(family),
                DomainTags = r.GetValue(domains) ?? [],
                InputNames = r.GetValue(inputs) is { Length: > 0 } i ? i : null,
                OutputNames = r.GetValue(outputs) is { Length: > 0 } o ? o : null,
                Public = repos.Length > 0,
                Repositories = repos,
                Description = r.GetValue(description),
            });
            var path = Path.GetFullPath(r.GetValue(output)!);
            imported.Save(path);
            await DatasetPresenter.WriteImportedAsync(context.Out, imported, path);
            return 0;
        });
        return command;
    }

    private static Command DatasetExportCommand(CliContext context)
    {
        var file = new Argument<FileInfo>("dataset") { Description = "A dsrs.dataset/1 file." };
        var to = new Option<string>("--to") { Description = "dspy: a JSON list of example dicts; jsonl: {inputs, outputs} lines for `dsrs evaluate`.", Required = true };
        to.AcceptOnlyFromAmong("dspy", "jsonl");
        var output = new Option<string>("--output", "-o") { Description = "The file to write.", Required = true };
        var command = new Command("export", "Write a dataset's examples for DSPy or for `dsrs evaluate`.");
        command.Arguments.Add(file);
        command.Options.Add(to);
        command.Options.Add(output);
        command.SetAction(async (ParseResult r, CancellationToken ct) =>
        {
            var (loaded, id) = ContentIdVerbs.LoadVerified(ContentIdVerbs.Datasets, r.GetValue(file)!.FullName);
            var path = Path.GetFullPath(r.GetValue(output)!);
            var note = $"({loaded.ExampleCount} example(s) from {id})";
            if (r.GetValue(to) == "dspy")
            {
                var (json, inputNames) = DatasetExporter.ToDspy(loaded);
                await ContentIdVerbs.WriteOutputAsync(context, json, path, note);
                await DatasetPresenter.WriteDspyLoadHintAsync(context.Out, inputNames, path);
            }
            else
            {
                await ContentIdVerbs.WriteOutputAsync(context, DatasetExporter.ToJsonLines(loaded), path, note);
            }
            return 0;
        });
        return command;
    }

    private static Command DatasetNoiseCommand(CliContext context)
    {
        var file = new Argument<FileInfo>("dataset") { Description = "A dsrs.dataset/1 file." };
        var field = new Option<string[]>("--field") { Description = "field:epsilon:sensitivity[:min] (repeatable), e.g. estimated_tokens:1.0:5000:0.", Required = true };
        var output = new Option<string>("--output", "-o") { Description = "The noised dataset to write.", Required = true };
        var command = new Command("noise", "Add calibrated Laplace noise (differential privacy) to numeric fields, from the OS CSPRNG.");
        command.Arguments.Add(file);
        command.Options.Add(field);
        command.Options.Add(output);
        command.SetAction(async (ParseResult r, CancellationToken ct) =>
        {
            var loaded = Dataset.Load(r.GetValue(file)!.FullName);
            var specs = (r.GetValue(field) ?? []).Select(NoiseSpec.Parse).ToList();
            var noised = DatasetPrivacy.AddLaplaceNoise(loaded, specs);
            var path = Path.GetFullPath(r.GetValue(output)!);
            noised.Save(path);
            await DatasetPresenter.WriteNoisedAsync(context.Out, specs, loaded, noised, path);
            return 0;
        });
        return command;
    }

    private static Command DatasetFilterCommand(CliContext context)
    {
        var file = new Argument<FileInfo>("dataset") { Description = "A dsrs.dataset/1 file." };
        var onlyPublic = new Option<bool>("--only-public") { Description = "Keep only examples whose provenance is a public repository on a public code host.", Required = true };
        var output = new Option<string>("--output", "-o") { Description = "The filtered dataset to write.", Required = true };
        var command = new Command("filter", "Keep only what came from public work (domain filtering).");
        command.Arguments.Add(file);
        command.Options.Add(onlyPublic);
        command.Options.Add(output);
        command.SetAction(async (ParseResult r, CancellationToken ct) =>
        {
            var loaded = Dataset.Load(r.GetValue(file)!.FullName);
            var (kept, removed) = DatasetPrivacy.KeepOnlyPublic(loaded);
            var path = Path.GetFullPath(r.GetValue(output)!);
            kept.Save(path);
            await DatasetPresenter.WriteFilteredAsync(context.Out, kept, removed, path);
            return 0;
        });
        return command;
    }
}
