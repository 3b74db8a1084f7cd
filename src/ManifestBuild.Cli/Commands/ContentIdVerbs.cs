using System.CommandLine;
using ManifestBuild.Cli.Presenters;
using ManifestBuild.Format;
using ManifestBuild.Format.Datasets;

namespace ManifestBuild.Cli;

/// <summary>A content-addressed file as one verb sees it: its value, the id it states, and how to recompute, check and store that id.</summary>
internal sealed record ContentAddressedFile<T>(T Value, string? StatedId, Func<string> ComputeId, Func<string> VerifyId, Action<string> SealAndSave, string Summary);

/// <summary>
/// A kind of content-addressed file (a manifest's compiled_id, a dataset's dataset_id): how its file
/// is read with its stated id checked later (<see cref="Load"/>) or ignored (<see cref="LoadAnyStatedId"/>).
/// </summary>
internal sealed record ContentAddressedKind<T>(string IdName, string IdVerb, string FileDescription, Func<string, ContentAddressedFile<T>> Load, Func<string, ContentAddressedFile<T>> LoadAnyStatedId);

/// <summary>
/// The verbs every content-addressed kind has, in one shape: `id` (recompute, optionally store),
/// `verify` (check the stated id), and the load-and-verify every export starts with. `dsrs id` /
/// `dsrs verify` and `dsrs dataset id` / `dsrs dataset verify` are these, for their kind.
/// </summary>
internal static class ContentIdVerbs
{
    public static readonly ContentAddressedKind<Manifest> Manifests = new(
        "compiled_id", "dsrs id", "A manifest JSON file.",
        path => OfManifest(Manifest.Load(path)),
        path => OfManifest(Manifest.LoadWithAnyStatedId(path)));

    public static readonly ContentAddressedKind<Dataset> Datasets = new(
        "dataset_id", "dsrs dataset id", "A dsrs.dataset/1 file.",
        path => OfDataset(Dataset.Load(path)),
        path => OfDataset(Dataset.Load(path)));

    public static Command Id<T>(CliContext context, ContentAddressedKind<T> kind, string description, string argumentName, string writeDescription)
    {
        var file = new Argument<FileInfo>(argumentName) { Description = kind.FileDescription };
        var write = new Option<bool>("--write") { Description = writeDescription };
        var command = new Command("id", description);
        command.Arguments.Add(file);
        command.Options.Add(write);
        command.SetAction(async (ParseResult r, CancellationToken ct) =>
        {
            var path = r.GetValue(file)!.FullName;
            var loaded = kind.LoadAnyStatedId(path);
            var id = loaded.ComputeId();
            await ContentIdPresenter.WriteIdAsync(context.Out, id);
            if (loaded.StatedId == id)
            {
                return 0;
            }

            if (r.GetValue(write))
            {
                loaded.SealAndSave(path);
                await ContentIdPresenter.WriteIdStoredAsync(context.Error, kind.IdName, path, loaded.StatedId, id);
            }
            else
            {
                await ContentIdPresenter.WriteIdNoteAsync(context.Error, kind.IdName, kind.IdVerb, path, loaded.StatedId);
            }

            return 0;
        });
        return command;
    }

    public static Command Verify<T>(CliContext context, ContentAddressedKind<T> kind, string description, string argumentName)
    {
        var file = new Argument<FileInfo>(argumentName) { Description = kind.FileDescription };
        var command = new Command("verify", description);
        command.Arguments.Add(file);
        command.SetAction(async (ParseResult r, CancellationToken ct) =>
        {
            var loaded = kind.Load(r.GetValue(file)!.FullName);
            await ContentIdPresenter.WriteVerifiedAsync(context.Out, loaded.VerifyId(), loaded.Summary);
            return 0;
        });
        return command;
    }

    /// <summary>The file, loaded and its stated id checked: what every export reads.</summary>
    public static (T Value, string Id) LoadVerified<T>(ContentAddressedKind<T> kind, string path)
    {
        var loaded = kind.Load(path);
        return (loaded.Value, loaded.VerifyId());
    }

    /// <summary>Writes what a verb produced to <paramref name="output"/> (atomically), or to standard output when it is null.</summary>
    public static Task WriteOutputAsync(CliContext context, string text, string? output, string note)
    {
        if (output is not null)
        {
            AtomicFile.WriteAllText(output, text);
        }

        return ContentIdPresenter.WriteOutputAsync(context.Out, text, output, note);
    }

    private static ContentAddressedFile<Manifest> OfManifest(Manifest manifest) =>
        new(manifest, manifest.CompiledId, manifest.ComputeCompiledId, manifest.VerifyCompiledId, path =>
        {
            manifest.SealCompiledId();
            manifest.Save(path);
        }, manifest.SignatureName);

    // A dataset's id is the one its sealed form states: example_count is recomputed with it.
    private static ContentAddressedFile<Dataset> OfDataset(Dataset dataset) =>
        new(dataset, dataset.StatedId, () => Dataset.Seal(dataset.Json).StatedId!, dataset.VerifyId, path => Dataset.Seal(dataset.Json).Save(path),
            $"{dataset.Family} {dataset.ExampleCount} example(s)");
}
