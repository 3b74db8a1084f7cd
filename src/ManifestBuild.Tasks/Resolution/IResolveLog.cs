namespace ManifestBuild.Tasks.Resolution;

/// <summary>What the resolver tells the build log. Nothing passed here may contain a secret.</summary>
public interface IResolveLog
{
    /// <summary>The one line per manifest (normal verbosity; a purchase is shown at minimal verbosity too).</summary>
    void Summary(DeclaredManifest item, string line, bool important);

    /// <summary>Selection explanations and other detail (detailed verbosity).</summary>
    void Detail(string text);

    void Warning(DeclaredManifest? item, string code, string message);
}
