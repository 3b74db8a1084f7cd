using System.Security;

namespace ManifestBuild.Tasks.Tests.Support;

/// <summary>
/// A throwaway app that consumes the packed ManifestBuild package from the local feed: its own folder
/// (outside the repository, so none of the repository's Directory.*.props apply), a nuget.config that
/// adds the feed to the user's sources, and a Program.cs that calls the generated types.
/// </summary>
public sealed class ConsumerProject
{
    private readonly PackedPackages packages;

    public ConsumerProject(PackedPackages packages, string directory, string name = "Consumer")
    {
        this.packages = packages;
        Directory = directory;
        Name = name;
        System.IO.Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "nuget.config"),
            $"<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<configuration>\n  <packageSources>\n    <add key=\"dsrs-e2e\" value=\"{SecurityElement.Escape(packages.Feed)}\" />\n  </packageSources>\n</configuration>\n");
        // Stop MSBuild from looking further up for Directory.Build.* files.
        File.WriteAllText(Path.Combine(directory, "Directory.Build.props"), "<Project />\n");
        File.WriteAllText(Path.Combine(directory, "Directory.Build.targets"), "<Project />\n");
    }

    public string Directory { get; }

    /// <summary>One framework (TargetFramework) or several separated by ';' (TargetFrameworks: a multi-targeted project).</summary>
    public string Frameworks { get; init; } = "net10.0";

    public string Name { get; }

    public string ProjectFile => Path.Combine(Directory, Name + ".csproj");

    public string LockFile => Path.Combine(Directory, "dsrs.lock.json");

    public string Obj => Path.Combine(Directory, "obj");

    /// <summary>Writes the csproj: the package reference, the given DsrsManifest items and properties.</summary>
    public ConsumerProject WithProject(string items, string properties = "")
    {
        File.WriteAllText(ProjectFile, $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                {(Frameworks.Contains(';', StringComparison.Ordinal) ? $"<TargetFrameworks>{Frameworks}</TargetFrameworks>" : $"<TargetFramework>{Frameworks}</TargetFramework>")}
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
                <RootNamespace>{Name}</RootNamespace>
            {properties}
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="ManifestBuild" Version="{packages.Version}" />
              </ItemGroup>
              <ItemGroup>
            {items}
              </ItemGroup>
            </Project>

            """);
        return this;
    }

    public ConsumerProject WithFile(string relative, string content)
    {
        var path = Path.Combine(Directory, relative);
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return this;
    }

    public Task<DotnetResult> BuildAsync(IReadOnlyDictionary<string, string?> environment, params string[] extra) =>
        DotnetProcess.RunAsync(Directory, ["build", ProjectFile, "-nodeReuse:false", "-v:n", .. extra], environment, TimeSpan.FromMinutes(10));

    /// <summary>Builds in a pseudo-terminal with the terminal logger on, at its default verbosity.</summary>
    public Task<DotnetResult> BuildInTerminalAsync(IReadOnlyDictionary<string, string?> environment, params string[] extra) =>
        DotnetProcess.RunInTerminalAsync(Directory, ["build", ProjectFile, "-nodeReuse:false", "-tl:on", .. extra], environment, TimeSpan.FromMinutes(10));

    /// <summary>Runs the built app (no rebuild) and returns its output.</summary>
    public Task<DotnetResult> RunAsync(IReadOnlyDictionary<string, string?> environment, string framework = "net10.0") =>
        DotnetProcess.RunAsync(Directory, [Path.Combine(Directory, "bin", "Debug", framework, Name + ".dll")], environment, TimeSpan.FromMinutes(2));

    public void DeleteObj()
    {
        if (System.IO.Directory.Exists(Obj))
        {
            System.IO.Directory.Delete(Obj, recursive: true);
        }
    }

    /// <summary>A Program.cs that prints a generated manifest's id and runs one prediction through a scripted IChatClient.</summary>
    public static string ScriptedClientProgram(string manifestClass, string inputExpression, string reply) => $$"""
        using Microsoft.Extensions.AI;
        using {{"Consumer"}}.Manifests;

        Console.WriteLine($"id={{"{"}}{{manifestClass}}.CompiledId{{"}"}}");
        var output = await {{manifestClass}}.PredictAsync(new ScriptedClient(), {{inputExpression}});
        Console.WriteLine($"output={output}");

        sealed class ScriptedClient : IChatClient
        {
            public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
                Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, {{Literal(reply)}})));

            public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
                throw new NotSupportedException();

            public object? GetService(Type serviceType, object? serviceKey = null) => null;

            public void Dispose()
            {
            }
        }

        """;

    private static string Literal(string text) => "\"" + text.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n") + "\"";
}
