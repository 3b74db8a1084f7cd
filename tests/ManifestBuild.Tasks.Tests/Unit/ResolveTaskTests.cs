using ManifestBuild.Tasks.Tests.Support;
using Microsoft.Build.Utilities;

namespace ManifestBuild.Tasks.Tests.Unit;

/// <summary>The MSBuild task itself: item reading, error locations, the hand-over file.</summary>
public sealed class ResolveTaskTests : IDisposable
{
    private readonly ResolverHarness h = new();

    public void Dispose() => h.Dispose();

    [Fact]
    public void ErrorsPointAtTheItemsLineInTheProjectFile()
    {
        var project = h.WriteProjectFile("App.csproj", "<Project>\n  <ItemGroup>\n    <DsrsManifest Include=\"Good\" Family=\"complexity\" />\n    <DsrsManifest Include=\"Bad\" MinAccuracy=\"2\" Family=\"x\" />\n  </ItemGroup>\n</Project>\n");
        var engine = new RecordingBuildEngine();
        var task = NewTask(engine, project, Item(project, "Good", ("Family", "complexity")), Item(project, "Bad", ("MinAccuracy", "2"), ("Family", "x")));

        Assert.False(task.Execute());

        var error = Assert.Single(engine.Errors);
        Assert.Equal(BuildErrorCodes.InvalidItemNumber, error.Code);
        Assert.Equal(project, error.File);
        Assert.Equal(4, error.LineNumber);
        Assert.False(File.Exists(Path.Combine(h.Obj, "handover.tsv")));
    }

    [Fact]
    public void SuccessWritesTheHandOverFileThatTheReaderTurnsIntoGeneratorItems()
    {
        var (json, id) = TestManifests.Planner();
        h.WriteProjectFile("manifests/planner.json", json);
        var project = h.WriteProjectFile("App.csproj", "<Project />");
        var engine = new RecordingBuildEngine();
        var task = NewTask(engine, project, Item(project, "Planner", ("Path", "manifests/planner.json")));

        Assert.True(task.Execute(), string.Join("\n", engine.Errors.Select(e => e.Message)));

        var reader = new ReadDsrsHandOver { BuildEngine = engine, HandOverFile = Path.Combine(h.Obj, "handover.tsv") };
        Assert.True(reader.Execute());
        var item = Assert.Single(reader.ResolvedManifests);
        Assert.Equal("Planner", item.GetMetadata("DsrsManifestName"));
        Assert.Equal(id, item.GetMetadata("DsrsCompiledId"));
        Assert.Equal(json, File.ReadAllText(item.ItemSpec));
        Assert.Contains(engine.Messages, m => m.Message!.StartsWith("dsrs: Planner <- local planner.json " + id[..12]));
    }

    [Fact]
    public void DuplicateNamesAreRefused()
    {
        var project = h.WriteProjectFile("App.csproj", "<Project />");
        var engine = new RecordingBuildEngine();
        var task = NewTask(engine, project, Item(project, "A", ("Family", "x")), Item(project, "a", ("Family", "x")));

        Assert.False(task.Execute());
        Assert.Equal(BuildErrorCodes.DuplicateItem, Assert.Single(engine.Errors).Code);
    }

    private ResolveDsrsManifests NewTask(RecordingBuildEngine engine, string project, params TaskItem[] items) => new()
    {
        BuildEngine = engine,
        Manifests = items,
        ProjectDirectory = h.Project,
        ProjectFile = project,
        IntermediateDirectory = h.Obj,
        HandOverFile = Path.Combine(h.Obj, "handover.tsv"),
        LockFile = "dsrs.lock.json",
        Relays = string.Empty,
        Environment = name => name == "DSRS_HOME" ? h.Home : null,
    };

    private static TaskItem Item(string definedIn, string name, params (string Key, string Value)[] metadata)
    {
        var item = new TaskItem(name);
        foreach (var (key, value) in metadata)
        {
            item.SetMetadata(key, value);
        }

        // DefiningProjectFullPath is a built-in metadata MSBuild sets; a bare TaskItem falls back to ProjectFile.
        _ = definedIn;
        return item;
    }
}
