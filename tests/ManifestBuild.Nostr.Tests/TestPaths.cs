namespace ManifestBuild.Nostr.Tests;

internal static class TestPaths
{
    public static string Data(string file) => Path.Combine(AppContext.BaseDirectory, "TestData", file);
}
