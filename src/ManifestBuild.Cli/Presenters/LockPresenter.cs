using ManifestBuild.Format.Json;
using ManifestBuild.Tasks;
using ManifestBuild.Tasks.Maintenance;
using ManifestBuild.Tasks.Resolution;

namespace ManifestBuild.Cli.Presenters;

/// <summary>How `dsrs lock | restore | outdated | update` show the resolver's lines, what is outdated, and what failed.</summary>
internal static class LockPresenter
{
    /// <summary>One line (or one JSON object) per item: locked -> best, status, price, why.</summary>
    public static async Task WriteOutdatedAsync(TextWriter output, IReadOnlyList<OutdatedItem> items, bool json)
    {
        foreach (var item in items)
        {
            await output.WriteLineAsync(json
                ? JsonWriter.Write(new JsonObject()
                    .Add("name", item.Name)
                    .Add("locked", item.LockedId is null ? JsonNull.Instance : new JsonString(item.LockedId))
                    .Add("best", item.BestId is null ? JsonNull.Instance : new JsonString(item.BestId))
                    .Add("price_msat", item.BestPriceMsat is { } price ? new JsonNumber(price) : JsonNull.Instance)
                    .Add("status", item.Status)
                    .Add("subscription", item.Subscription is null ? JsonNull.Instance : new JsonString(item.Subscription))
                    .Add("why", item.Why), false)
                : $"{item.Name}  {Short(item.LockedId)} -> {Short(item.BestId)}  {item.Status}  {(item.BestPriceMsat is { } p ? p + " msat" : "-")}  {item.Why}");
        }
    }

    /// <summary>`dsrs update --dry-run`: what would move, and why.</summary>
    public static async Task WriteDryRunAsync(TextWriter output, IReadOnlyList<OutdatedItem> items)
    {
        foreach (var item in items)
        {
            await output.WriteLineAsync($"{item.Name}: {(item.Status is "newer" or "ranks-higher" or "not-locked" ? $"would move {Short(item.LockedId)} -> {Short(item.BestId)} ({item.BestPriceMsat} msat)" : item.Status)}: {item.Why}");
        }
    }

    public static async Task WriteFailuresAsync(TextWriter error, IReadOnlyList<ResolveFailure> failures)
    {
        foreach (var failure in failures)
        {
            await error.WriteLineAsync($"error {failure.Code}: {failure.Message}");
        }
    }

    private static string Short(string? id) => id is null ? "-" : id.Length > 12 ? id[..12] : id;
}

/// <summary>The resolver's lines on the console: the same text the build logs; a purchase is always printed.</summary>
internal sealed class ConsoleResolveLog(CliContext context) : IResolveLog
{
    public void Summary(DeclaredManifest item, string line, bool important) => context.Out.WriteLine(line);

    public void Payment(DeclaredManifest item, string line) => context.Out.WriteLine(line);

    public void Total(string line, bool paid) => context.Out.WriteLine(line);

    public void Detail(string text)
    {
    }

    public void Warning(DeclaredManifest? item, string code, string message) => context.Error.WriteLine($"warning {code}: {message}");
}
