using System.CommandLine;
using ManifestBuild.Agent.Domains;
using ManifestBuild.Agent.Suggestions;
using ManifestBuild.Format.Json;
using ManifestBuild.Market;
using ManifestBuild.Market.Listings;

using static ManifestBuild.Cli.Presenters.AgentPresenter;

namespace ManifestBuild.Cli;

internal static class AgentCommands
{
    private const int SuggestDomainsQueried = 5;

    /// <summary>dsrs suggest: what a repository is, and which manifests the market lists for it.</summary>
    public static void AddTo(RootCommand root, CliContext context)
    {
        var dir = new Argument<DirectoryInfo>("dir") { Description = "The repository to scan (default: the working directory).", DefaultValueFactory = _ => new DirectoryInfo(".") };
        var relays = MarketCommands.MarketRelayOption();
        var write = new Option<FileInfo>("--write") { Description = "Add the suggested <DsrsManifest> items to this project file (idempotent, keeps its formatting)." };
        var offline = new Option<bool>("--domains-only") { Description = "Only detect the domains; ask no relay." };
        var json = CliOptions.Json("Machine-readable output.");
        var command = new Command("suggest", "Detect a repository's domains and suggest the <DsrsManifest> items the market lists for them.");
        command.Arguments.Add(dir);
        foreach (var option in new Option[] { relays, write, offline, json })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (ParseResult r, CancellationToken ct) =>
        {
            var report = DomainDetector.Detect(r.GetValue(dir)!.FullName, cancellationToken: ct);
            IReadOnlyList<SuggestedItem> items = [];
            if (!r.GetValue(offline) && report.Domains.Count > 0)
            {
                var client = new MarketClient();
                var urls = MarketCommands.MarketRelays(r, relays, context);
                await using var pool = client.CreatePool(urls);
                var searches = report.Tags.Take(SuggestDomainsQueried)
                    .Select(tag => client.SearchAsync(new ListingQuery { Domains = [tag] }, pool, TimeSpan.FromSeconds(10), ct, includeReputation: false));
                var listings = (await Task.WhenAll(searches)).SelectMany(s => s.Listings).DistinctBy(l => l.Event.Id).ToList();
                items = ManifestSuggester.Suggest(report, listings);
            }

            var added = r.GetValue(write) is { } project ? ProjectFileEditor.AddItems(project.FullName, items) : null;
            await context.Out.WriteAsync(r.GetValue(json) ? SuggestJson(report, items, added) : SuggestText(report, items, added, r.GetValue(write)?.Name));
            return 0;
        });
        root.Subcommands.Add(command);
    }
}
