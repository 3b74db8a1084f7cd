namespace ManifestBuild.Tasks.Resolution;

/// <summary>What the resolver tells the build log. Nothing passed here may contain a secret.</summary>
public interface IResolveLog
{
    /// <summary>The one line per manifest (normal verbosity; a restore is shown at minimal verbosity too).</summary>
    void Summary(DeclaredManifest item, string line, bool important);

    /// <summary>A purchase this build paid for: shown at every verbosity and by every logger (the terminal logger too).</summary>
    void Payment(DeclaredManifest item, string line);

    /// <summary>The build's last line: how many manifests, what was bought for how much, what came from the lock.</summary>
    void Total(string line, bool paid);

    /// <summary>Selection explanations and other detail (detailed verbosity).</summary>
    void Detail(string text);

    void Warning(DeclaredManifest? item, string code, string message);
}
