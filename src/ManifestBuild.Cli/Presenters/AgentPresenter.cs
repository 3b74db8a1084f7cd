using System.Globalization;
using System.Text;
using ManifestBuild.Agent.Domains;
using ManifestBuild.Agent.Suggestions;
using ManifestBuild.Format.Json;
using ManifestBuild.Market;
using ManifestBuild.Market.Listings;

namespace ManifestBuild.Cli.Presenters;

/// <summary>How `dsrs suggest` shows the detected domains and the suggested items, as text or JSON.</summary>
internal static class AgentPresenter
{
    internal static string SuggestText(DomainReport report, IReadOnlyList<SuggestedItem> items, IReadOnlyList<SuggestedItem>? added, string? project)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"domains: {(report.Domains.Count == 0 ? "(none detected)" : string.Join(", ", report.Tags))}{(report.TruncatedBy is { } why ? $" (scan stopped: {why})" : "")}");
        foreach (var domain in report.Domains)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  {domain.Tag,-18} {domain.Score,5}  {string.Join("; ", domain.Evidence.Take(4))}");
        }

        if (items.Count > 0)
        {
            text.AppendLine("suggested items:");
            foreach (var item in items)
            {
                text.AppendLine("  " + item.ToXml());
                text.AppendLine("    <!-- " + UntrustedComment(item.Reason) + " -->");
            }
        }

        if (added is not null)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"added {added.Count} item(s) to {project}{(added.Count < items.Count ? $" ({items.Count - added.Count} already declared)" : "")}");
        }

        return text.ToString();
    }

    internal static string SuggestJson(DomainReport report, IReadOnlyList<SuggestedItem> items, IReadOnlyList<SuggestedItem>? added)
    {
        var domains = new JsonArray();
        foreach (var d in report.Domains)
        {
            domains.Add(new JsonObject().Add("tag", d.Tag).Add("score", (long)d.Score).Add("evidence", JsonArray.OfStrings(d.Evidence)));
        }

        var suggested = new JsonArray();
        foreach (var i in items)
        {
            var item = new JsonObject().Add("name", i.Name).Add("family", i.Family).Add("domains", JsonArray.OfStrings(i.Domains)).Add("max_price_msat", i.MaxPriceMsat);
            if (i.MinAccuracy is { } accuracy)
            {
                item.Add("min_accuracy", accuracy);
            }

            suggested.Add(item.Add("reason", i.Reason).Add("xml", i.ToXml()));
        }

        var json = new JsonObject().Add("domains", domains).Add("entries_scanned", (long)report.EntriesScanned);
        if (report.TruncatedBy is { } why)
        {
            json.Add("truncated_by", why);
        }

        json.Add("suggestions", suggested);
        if (added is not null)
        {
            json.Add("added", JsonArray.OfStrings(added.Select(a => a.Name)));
        }

        return JsonWriter.WriteFile(json);
    }

    // A listing's text inside an XML comment: neutralised like all network text, and no "--".
    internal static string UntrustedComment(string text) =>
        ManifestBuild.Format.UntrustedText.Neutralise(text).Replace("--", "- -", StringComparison.Ordinal);
}
