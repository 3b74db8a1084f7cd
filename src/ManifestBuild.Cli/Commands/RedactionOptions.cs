using System.CommandLine;
using ManifestBuild.Market.Redaction;

namespace ManifestBuild.Cli;

/// <summary>
/// The privacy options <c>dsrs redact</c> and <c>dsrs publish</c> share, so that what one removes the
/// other checks: the seller's deny-list, private URL prefixes, extra public hosts, and the repository
/// whose git remotes name private hosts (besides <c>$DSRS_HOME/redaction.json</c>).
/// </summary>
internal sealed class RedactionOptions
{
    private readonly Option<string[]> deny = new("--deny") { Description = "A customer, project or other name to redact wherever it occurs (repeatable; also \"deny\" in $DSRS_HOME/redaction.json).", AllowMultipleArgumentsPerToken = false };
    private readonly Option<string[]> privateUrl = new("--private-url") { Description = "A URL prefix that is private although its host looks public (repeatable)." };
    private readonly Option<string[]> publicHost = new("--public-host") { Description = "A host whose URLs may stay (repeatable); every host not on the well-known list is private." };
    private readonly Option<string[]> repo = new("--repo") { Description = "A repository whose git remotes name private hosts (default: the input's folder and the working directory)." };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { deny, privateUrl, publicHost, repo })
        {
            command.Options.Add(option);
        }
    }

    public RedactionPolicy Policy(ParseResult result, CliContext context, string inputDirectory)
    {
        var commandLine = new RedactionPolicy
        {
            DenyNames = result.GetValue(deny) ?? [],
            PrivateUrls = result.GetValue(privateUrl) ?? [],
            PublicHosts = result.GetValue(publicHost) ?? [],
        };
        var repositories = result.GetValue(repo) is { Length: > 0 } given ? given : [inputDirectory, Directory.GetCurrentDirectory()];
        return RedactionPolicy.ForSeller(context.Home, commandLine, repositories);
    }
}
