using System;

namespace ManifestBuild.Format;

/// <summary>
/// A refusal with a stable code (DSRSnnnn). Every part of ManifestBuild reports bad input this way,
/// so that the CLI, the build log and the tests can all show "DSRSnnnn: what failed and why".
/// The message must never contain a secret.
/// </summary>
public class DsrsException : Exception
{
    public DsrsException(string code, string message, Exception? inner = null)
        : base(message, inner)
    {
        Code = code;
    }

    /// <summary>The stable code, e.g. <c>DSRS0101</c>.</summary>
    public string Code { get; }

    /// <summary>"DSRSnnnn: message", the form every user-facing surface prints.</summary>
    public override string ToString() => $"{Code}: {Message}";
}
