using System.CommandLine;
using ManifestBuild.Cli.Presenters;
using ManifestBuild.Format;
using ManifestBuild.Format.Caching;
using ManifestBuild.Format.Interop;
using ManifestBuild.Format.Json;

namespace ManifestBuild.Cli;

internal static class FormatCommands
{
    /// <summary>dsrs id | verify | import dspy|dsrs | export dspy | cache list|verify|add: the manifest format.</summary>
    public static void AddTo(RootCommand root, CliContext context)
    {
        root.Subcommands.Add(ContentIdVerbs.Id(context, ContentIdVerbs.Manifests, "Print the compiled_id recomputed from a manifest's content (RFC 8785 + SHA-256), whatever id it states.", "file", "Store the recomputed compiled_id in the file (replaced atomically), e.g. after an edit."));
        root.Subcommands.Add(ContentIdVerbs.Verify(context, ContentIdVerbs.Manifests, "Check that a manifest is valid and its stated compiled_id matches its content.", "file"));

        var import = new Command("import", "Convert a DSPy program or a dsrs crate manifest into a dsrs.manifest/1 file.");
        import.Subcommands.Add(ImportDspyCommand(context));
        import.Subcommands.Add(ImportDsrsCommand(context));
        root.Subcommands.Add(import);

        var export = new Command("export", "Convert a manifest into another tool's format.");
        export.Subcommands.Add(ExportDspyCommand(context));
        root.Subcommands.Add(export);

        var cache = new Command("cache", "Inspect the content-addressed manifest cache in $DSRS_HOME/cache.");
        cache.Subcommands.Add(CacheListCommand(context));
        cache.Subcommands.Add(CacheVerifyCommand(context));
        cache.Subcommands.Add(CacheAddCommand(context));
        root.Subcommands.Add(cache);
    }

    private static Command ImportDspyCommand(CliContext context)
    {
        var file = new Argument<FileInfo>("program") { Description = "A file written by DSPy's Module.save(\"program.json\")." };
        var output = OutputOption("The manifest file to write (a folder with --all); standard output when absent.");
        var predictor = new Option<string>("--predictor") { Description = "The predictor to import (its key in the file) when there are several." };
        var all = new Option<bool>("--all") { Description = "Import every predictor, one manifest each, into the --output folder." };
        var outputs = new Option<string>("--outputs") { Description = "Comma-separated output field names (the last fields); default: from a 'reasoning' field on, else the last field." };
        var name = new Option<string>("--name") { Description = "The signature_name; default: the predictor's name in PascalCase + Signature." };
        var family = new Option<string>("--family") { Description = "The decision the manifest serves (complexity, planning, ...)." };
        var optimizer = new Option<string>("--optimizer") { Description = "The optimizer that produced it (mipro, gepa, bootstrap_fewshot, ...)." };
        var domains = new Option<string>("--domains") { Description = "Comma-separated lowercase domain tags." };
        var examples = CliOptions.Whole("--example-count", "How many training examples are behind it.", 0, long.MaxValue);
        var createdAt = CliOptions.Whole("--created-at", "Unix seconds; omitted by default so re-importing gives the same compiled_id.", 0, long.MaxValue);
        var command = new Command("dspy", "Import a DSPy Module.save() program (never its lm settings).");
        command.Arguments.Add(file);
        foreach (var option in new Option[] { output, predictor, all, outputs, name, family, optimizer, domains, examples, createdAt })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (ParseResult r, CancellationToken ct) =>
        {
            var program = ReadObject(r.GetValue(file)!.FullName, FormatErrorCodes.NotDspyProgram, "a DSPy program");
            var options = new DspyImportOptions
            {
                Predictor = r.GetValue(predictor),
                SignatureName = r.GetValue(name),
                OutputFields = SplitList(r.GetValue(outputs)),
                Family = r.GetValue(family),
                Optimizer = r.GetValue(optimizer),
                DomainTags = SplitList(r.GetValue(domains)),
                ExampleCount = r.GetValue(examples),
                CreatedAt = r.GetValue(createdAt),
            };
            if (!r.GetValue(all))
            {
                await WriteManifestAsync(context, DspyImporter.Import(program, options), r.GetValue(output));
                return 0;
            }

            if (options.Predictor is not null)
            {
                throw new DsrsException(FormatErrorCodes.InvalidArguments, "use either --predictor or --all, not both");
            }

            var folder = r.GetValue(output) ?? throw new DsrsException(FormatErrorCodes.InvalidArguments, "--all needs --output <folder>");
            foreach (var (_, manifest) in DspyImporter.ImportAll(program, options))
            {
                await WriteManifestAsync(context, manifest, Path.Combine(folder, manifest.SignatureName + ".json"));
            }

            return 0;
        });
        return command;
    }

    private static Command ImportDsrsCommand(CliContext context)
    {
        var file = new Argument<FileInfo>("manifest") { Description = "A dsrs crate CompiledModuleManifest JSON file." };
        var output = OutputOption("The manifest file to write; standard output when absent.");
        var family = new Option<string>("--family") { Description = "The decision the manifest serves (complexity, planning, ...)." };
        var domains = new Option<string>("--domains") { Description = "Comma-separated lowercase domain tags." };
        var command = new Command("dsrs", "Import a dsrs crate CompiledModuleManifest (its own id is kept as source_compiled_id).");
        command.Arguments.Add(file);
        command.Options.Add(output);
        command.Options.Add(family);
        command.Options.Add(domains);
        command.SetAction(async (ParseResult r, CancellationToken ct) =>
        {
            var crate = ReadObject(r.GetValue(file)!.FullName, FormatErrorCodes.NotDsrsManifest, "a dsrs CompiledModuleManifest");
            var manifest = DsrsCrateImporter.Import(crate, r.GetValue(family), SplitList(r.GetValue(domains)));
            await WriteManifestAsync(context, manifest, r.GetValue(output));
            return 0;
        });
        return command;
    }

    private static Command ExportDspyCommand(CliContext context)
    {
        var file = new Argument<FileInfo>("manifest") { Description = "A manifest JSON file." };
        var output = OutputOption("The DSPy program file to write; standard output when absent.");
        var predictor = new Option<string>("--predictor") { Description = "The predictor's key in your DSPy program (e.g. classify.predict); default: where it was imported from, else a bare dspy.Predict (its state at the top level, as Predict.save() writes it)." };
        var command = new Command("dspy", "Write a manifest as a DSPy program file that module.load() accepts.");
        command.Arguments.Add(file);
        command.Options.Add(output);
        command.Options.Add(predictor);
        command.SetAction(async (ParseResult r, CancellationToken ct) =>
        {
            var (manifest, id) = ContentIdVerbs.LoadVerified(ContentIdVerbs.Manifests, r.GetValue(file)!.FullName);
            var text = JsonWriter.WriteFile(DspyExporter.Export(manifest, r.GetValue(predictor)));
            await ContentIdVerbs.WriteOutputAsync(context, text, r.GetValue(output), $"(from {id})");
            return 0;
        });
        return command;
    }

    private static Command CacheListCommand(CliContext context)
    {
        var json = CliOptions.Json("Print a JSON array of {compiled_id, signature_name, family, path}.");
        var command = new Command("list", "List the cached manifests: compiled_id and signature_name (verifying each).");
        command.Options.Add(json);
        command.SetAction(async (ParseResult r, CancellationToken ct) =>
        {
            var cache = new ManifestCache(context.Home);
            var rows = cache.List().Select(id => (Id: id, Lookup: cache.Lookup(id), Path: cache.GetPath(id))).ToList();
            await FormatPresenter.WriteCacheListAsync(context, rows, r.GetValue(json));
            return 0;
        });
        return command;
    }

    private static Command CacheVerifyCommand(CliContext context)
    {
        var command = new Command("verify", "Re-verify every cached manifest; corrupt entries are quarantined (exit 1 when any was).");
        command.SetAction(async (ParseResult r, CancellationToken ct) =>
        {
            var cache = new ManifestCache(context.Home);
            var count = cache.List().Count;
            var problems = cache.VerifyAll();
            await FormatPresenter.WriteCacheVerifiedAsync(context, count, problems);
            return problems.Count == 0 ? 0 : 1;
        });
        return command;
    }

    private static Command CacheAddCommand(CliContext context)
    {
        var file = new Argument<FileInfo>("file") { Description = "A manifest JSON file whose compiled_id matches its content." };
        var command = new Command("add", "Put a verified manifest into the cache (as a build would after a download).");
        command.Arguments.Add(file);
        command.SetAction(async (ParseResult r, CancellationToken ct) =>
        {
            var path = new ManifestCache(context.Home).PutText(Manifest.ReadText(r.GetValue(file)!.FullName));
            await FormatPresenter.WriteCachedAsync(context.Out, path);
            return 0;
        });
        return command;
    }

    private static Option<string> OutputOption(string description) => new("--output", "-o") { Description = description };

    private static JsonObject ReadObject(string path, string code, string what)
    {
        var value = JsonParser.Parse(Manifest.ReadText(path));
        return value as JsonObject ?? throw new DsrsException(code, path + " is not " + what + ": the file holds " + value.KindName() + ", not an object");
    }

    private static IReadOnlyList<string>? SplitList(string? text) =>
        text is null ? null : text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static Task WriteManifestAsync(CliContext context, Manifest manifest, string? output) =>
        ContentIdVerbs.WriteOutputAsync(context, manifest.ToFileText(), output, $"(compiled_id {manifest.CompiledId})");
}
