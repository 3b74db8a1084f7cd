using ManifestBuild.Agent.Domains;
using ManifestBuild.Format;
using ManifestBuild.TestSupport;

namespace ManifestBuild.Agent.Tests;

public sealed class DomainDetectorTests
{
    private static TempDirectory Tree(params (string Path, string Content)[] files)
    {
        var dir = new TempDirectory("domains");
        foreach (var (path, content) in files)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(dir.Combine(path))!);
            File.WriteAllText(dir.Combine(path), content);
        }

        return dir;
    }

    public static TheoryData<string, string[], string[]> Fixtures() => new()
    {
        // name, files as "path=content" (content may be empty), tags that must be detected
        { "medical imaging pipeline", ["pyproject.toml=[project]\nname = \"scan\"\ndependencies = [\n  \"numpy>=1.26\",\n  \"pydicom[gdcm]\",\n]\n", "scan/load.py=", "scan/reslice.py=", "scan/__init__.py=", "data/a.dcm=", "data/b.dcm="], ["medical-imaging", "scientific", "python"] },
        { "rust firmware", ["Cargo.toml=[package]\nname = \"fw\"\n\n[dependencies]\ncortex-m = \"0.7\"\nembassy-executor = { version = \"0.5\" }\n", "memory.x=", "src/main.rs=", "src/usb.rs=", "src/led.rs="], ["embedded", "rust"] },
        { "C RTOS firmware", ["src/main.c=#include \"FreeRTOS.h\"\n#include <stm32f4xx_hal.h>\nint main(void){}\n", "src/uart.c=", "src/uart.h="], ["embedded", "c"] },
        { "Godot game", ["project.godot=", "scenes/player.gd=", "scenes/enemy.gd=", "scenes/hud.gd="], ["game-engine"] },
        { "Unity game", ["ProjectSettings/ProjectVersion.txt=m_EditorVersion: 2022.3", "Assets/Player.cs=", "Assets/Enemy.cs=", "Assets/Hud.cs="], ["game-engine", "dotnet"] },
        { "web front end and API", ["package.json={\"dependencies\":{\"react\":\"^18\"},\"devDependencies\":{\"express\":\"4\"}}", "tsconfig.json={}", "src/App.tsx=", "src/index.tsx=", "src/api.ts="], ["web", "typescript"] },
        { "ML training", ["requirements.txt=torch==2.3.0\ntransformers>=4 # models\n-e .\n", "train.py=", "eval.py=", "model.py="], ["machine-learning", "python"] },
        { "dotnet agent", ["Agent/Agent.csproj=<Project><ItemGroup><PackageReference Include=\"Microsoft.Extensions.AI\" Version=\"10\" /></ItemGroup></Project>", "Agent/Program.cs=", "Agent/Tools.cs=", "Agent/Plan.cs="], ["llm", "dotnet"] },
        { "go service", ["go.mod=module x\n\ngo 1.22\n\nrequire (\n\tgithub.com/gin-gonic/gin v1.9.1\n)\n", "main.go=", "handlers.go=", "store.go="], ["web", "go"] },
        { "rust database tool", ["Cargo.toml=[package]\nname=\"db\"\n[dependencies.sqlx]\nversion = \"0.7\"\n[dev-dependencies]\ntokio = \"1\"\n", "src/main.rs=", "src/lib.rs=", "src/q.rs="], ["database", "networking", "rust"] },
    };

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Each_fixture_tree_shows_its_domains_with_evidence(string name, string[] files, string[] expected)
    {
        using var tree = Tree([.. files.Select(f => (f[..f.IndexOf('=')], f[(f.IndexOf('=') + 1)..]))]);
        var report = DomainDetector.Detect(tree.Path);
        Assert.True(expected.All(report.Tags.Contains), $"{name}: expected [{string.Join(", ", expected)}], got [{string.Join(", ", report.Tags)}]");
        Assert.All(report.Domains, d => Assert.NotEmpty(d.Evidence));
        Assert.Null(report.TruncatedBy);
    }

    [Fact]
    public void The_worked_example_ranks_the_domains_and_names_the_evidence()
    {
        using var tree = Tree(
            ("requirements.txt", "numpy\nscipy\npydicom\n"),
            ("pipeline/read.py", ""), ("pipeline/series.py", ""), ("pipeline/__init__.py", ""),
            ("studies/s1/IM0001.dcm", ""), ("studies/s1/IM0002.dcm", ""));
        var report = DomainDetector.Detect(tree.Path);
        Assert.Equal(["scientific", "medical-imaging", "python"], report.Tags.Take(3));
        var medical = report.Domains.Single(d => d.Tag == "medical-imaging");
        Assert.Contains("requirements.txt: pydicom", medical.Evidence);
        Assert.Contains(".dcm files (x2)", medical.Evidence);
        Assert.Equal(report, DomainDetector.Detect(tree.Path) with { }, new ReportComparer()); // deterministic
    }

    [Fact]
    public void Vendored_build_output_and_gitignored_folders_are_skipped()
    {
        using var tree = Tree(
            (".gitignore", "# local\n/private-notes/\n*.tmp\nscratch\n"),
            ("main.py", ""), ("a.py", ""), ("b.py", ""),
            ("node_modules/react/package.json", "{\"dependencies\":{\"react\":\"18\"}}"),
            ("vendor/pydicom/requirements.txt", "pydicom\n"),
            ("private-notes/requirements.txt", "torch\n"),
            ("tools/scratch/requirements.txt", "pygame\n"),
            ("x.tmp/requirements.txt", "numpy\n"));
        var report = DomainDetector.Detect(tree.Path);
        Assert.Equal(["python"], report.Tags);
    }

    [Fact]
    public void Symlinks_are_never_followed_so_loops_and_escapes_cost_nothing()
    {
        using var outside = Tree(("requirements.txt", "pydicom\n"));
        using var tree = Tree(("main.rs", ""), ("lib.rs", ""), ("x.rs", ""));
        Directory.CreateSymbolicLink(tree.Combine("loop"), tree.Path);
        Directory.CreateSymbolicLink(tree.Combine("escape"), outside.Path);
        File.CreateSymbolicLink(tree.Combine("requirements.txt"), outside.Combine("requirements.txt"));
        var report = DomainDetector.Detect(tree.Path);
        Assert.Equal(["rust"], report.Tags);
        Assert.Equal(6, report.EntriesScanned);
    }

    [Fact]
    public void A_one_gigabyte_file_is_read_only_up_to_the_per_file_bound()
    {
        using var tree = Tree(("a.py", ""), ("b.py", ""), ("c.py", ""));
        using (var huge = new FileStream(tree.Combine("requirements.txt"), FileMode.Create))
        {
            huge.Write("numpy\n"u8);
            huge.SetLength(1L << 30); // sparse: a gigabyte on paper, nothing on disk
            huge.Seek((1L << 30) - 8, SeekOrigin.Begin);
            huge.Write("pydicom\n"u8);
        }

        var report = DomainDetector.Detect(tree.Path);
        Assert.Contains("scientific", report.Tags);        // the first bytes were read
        Assert.DoesNotContain("medical-imaging", report.Tags); // the last were not
    }

    [Fact]
    public void A_hundred_thousand_files_stop_at_the_entry_bound()
    {
        using var tree = Tree(("Cargo.toml", "[package]\nname=\"x\"\n"));
        var dir = Directory.CreateDirectory(tree.Combine("many"));
        for (var i = 0; i < 100_000; i++)
        {
            File.Create(Path.Combine(dir.FullName, "f" + i.ToString("D6", System.Globalization.CultureInfo.InvariantCulture) + ".rs")).Dispose();
        }

        var report = DomainDetector.Detect(tree.Path, new DomainDetectorOptions { MaxEntries = 20_000 });
        Assert.Equal(20_000, report.EntriesScanned);
        Assert.Contains("more than 20,000 entries", report.TruncatedBy, StringComparison.Ordinal);
        Assert.Equal("rust", report.Tags[0]);
    }

    [Fact]
    public void Depth_is_bounded()
    {
        using var tree = Tree(("a.go", ""), ("b.go", ""), ("c.go", ""));
        var deep = tree.Path;
        for (var i = 0; i < 30; i++)
        {
            deep = Path.Combine(deep, "d");
        }

        Directory.CreateDirectory(deep);
        File.WriteAllText(Path.Combine(deep, "requirements.txt"), "torch\n");
        var report = DomainDetector.Detect(tree.Path, new DomainDetectorOptions { MaxDepth = 10 });
        Assert.DoesNotContain("machine-learning", report.Tags);
        Assert.Contains("depth", report.TruncatedBy, StringComparison.Ordinal);
    }

    [Fact]
    public void A_custom_table_replaces_the_default_and_a_bad_one_is_refused()
    {
        using var tree = Tree(("x.zig", ""), ("y.zig", ""), ("z.zig", ""));
        var rules = DomainRules.Parse("""{"rules":[{"tag":"zig","extensions":[".zig"]}]}""");
        Assert.Equal(["zig"], DomainDetector.Detect(tree.Path, new DomainDetectorOptions { Rules = rules }).Tags);
        Assert.Equal(AgentErrorCodes.BadDomainTable, Assert.Throws<DsrsException>(() => DomainRules.Parse("""{"rules":[{"tag":"Zig"}]}""")).Code);
        Assert.Equal(AgentErrorCodes.BadDomainTable, Assert.Throws<DsrsException>(() => DomainRules.Parse("[")).Code);
        Assert.Equal(AgentErrorCodes.ScanRootMissing, Assert.Throws<DsrsException>(() => DomainDetector.Detect(tree.Combine("absent"))).Code);
    }

    private sealed class ReportComparer : IEqualityComparer<DomainReport>
    {
        public bool Equals(DomainReport? x, DomainReport? y) =>
            x is not null && y is not null && x.EntriesScanned == y.EntriesScanned && x.TruncatedBy == y.TruncatedBy
            && x.Domains.Select(d => d.Tag + d.Score + string.Join("|", d.Evidence)).SequenceEqual(y.Domains.Select(d => d.Tag + d.Score + string.Join("|", d.Evidence)));

        public int GetHashCode(DomainReport obj) => obj.EntriesScanned;
    }
}
