namespace ManifestBuild.TestSupport;

/// <summary>Locates the repository from a running test, whatever its output folder.</summary>
public static class RepoPaths
{
    private static readonly Lazy<string> LazyRoot = new(FindRoot);

    public static string Root => LazyRoot.Value;

    public static string Interop => Path.Combine(Root, "tests", "interop");

    public static string SharedVectors => Path.Combine(Root, "..", "shared", "vectors");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ManifestBuild.sln")))
            {
                return dir.FullName;
            }
        }

        // Builds with DSRS_ARTIFACTS put binaries outside the repository; the working directory
        // of `dotnet test` is then the test project's folder.
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ManifestBuild.sln")))
            {
                return dir.FullName;
            }
        }

        // `dotnet test` may run the host from the output folder; this source file's compile-time path still knows.
        for (var dir = new FileInfo(SourceFilePath()).Directory; dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ManifestBuild.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("ManifestBuild.sln not found above " + AppContext.BaseDirectory);
    }

    private static string SourceFilePath([System.Runtime.CompilerServices.CallerFilePath] string path = "") => path;
}
