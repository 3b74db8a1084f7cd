using System.CommandLine;
using ManifestBuild.Format;
using ManifestBuild.Format.Json;
using ManifestBuild.Tasks;
using ManifestBuild.Tasks.Maintenance;
using ManifestBuild.Tasks.Resolution;

namespace ManifestBuild.Cli;

internal static class LockCommands
{
    /// <summary>
    /// dsrs lock | restore [--locked] | outdated | update: the lockfile without MSBuild. The project's
    /// items and Dsrs* properties are read from the csproj XML (<see cref="ProjectDeclarations"/>), and
    /// the build's own resolver runs them, so CI and the build agree on every rule (one budget, the
    /// payment guard, locked mode never pays).
    /// </summary>
    public static void AddTo(RootCommand root, CliContext context)
    {
        root.Subcommands.Add(LockResolveCommand(context, "lock", "Resolve the project's DsrsManifest items and write dsrs.lock.json, as a build would (pays within the budget)."));
        root.Subcommands.Add(LockResolveCommand(context, "restore", "Fetch what dsrs.lock.json pins into the cache; with --locked never pay and never write the lockfile (CI)."));
        root.Subcommands.Add(LockOutdatedCommand(context));
        root.Subcommands.Add(LockUpdateCommand(context));
    }

    private static Option<string?> ProjectOption() => new("--project", "-p") { Description = "The project file; default: the one *.csproj in the current folder." };

    private static Option<long?> BudgetOption() => CliOptions.Msat("--budget", "Millisats this run may spend over all items; default: the project's DsrsBudgetMsat.");

    private static Command LockResolveCommand(CliContext context, string name, string description)
    {
        var project = ProjectOption();
        var budget = BudgetOption();
        var locked = new Option<bool>("--locked") { Description = "Locked mode: content from the cache, a free listing or a stored receipt only; never pays, never writes the lockfile." };
        var command = new Command(name, description);
        command.Options.Add(project);
        command.Options.Add(budget);
        if (name == "restore")
        {
            command.Options.Add(locked);
        }

        command.SetAction(async (ParseResult r, CancellationToken ct) =>
        {
            var declarations = ProjectDeclarations.Read(FindProject(r.GetValue(project)));
            var settings = declarations.Settings(context.Home, context.Env, name == "restore" && r.GetValue(locked), r.GetValue(budget));
            return await ResolveAndReportAsync(context, declarations.Items, settings, ct);
        });
        return command;
    }

    private static Command LockOutdatedCommand(CliContext context)
    {
        var project = ProjectOption();
        var json = CliOptions.Json("One JSON object per item instead of a table.");
        var command = new Command("outdated", "For each item, the best listing the relays offer now for its declaration, compared with the lock (searches only).");
        command.Options.Add(project);
        command.Options.Add(json);
        command.SetAction(async (ParseResult r, CancellationToken ct) =>
        {
            var declarations = ProjectDeclarations.Read(FindProject(r.GetValue(project)));
            var settings = declarations.Settings(context.Home, context.Env, locked: true, budgetMsat: 0);
            var items = await OutdatedCheck.RunAsync(declarations, settings, ct);
            foreach (var item in items)
            {
                await context.Out.WriteLineAsync(r.GetValue(json)
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

            return 0;
        });
        return command;
    }

    private static Command LockUpdateCommand(CliContext context)
    {
        var names = new Argument<string[]>("names") { Description = "The items to update; none: all.", Arity = ArgumentArity.ZeroOrMore };
        var project = ProjectOption();
        var budget = BudgetOption();
        var dryRun = new Option<bool>("--dry-run") { Description = "Show what would move (as `dsrs outdated`); pay and write nothing." };
        var command = new Command("update", "Resolve the named items again (all when none), pay within the budget through the payment guard, and rewrite the lockfile.");
        command.Arguments.Add(names);
        command.Options.Add(project);
        command.Options.Add(budget);
        command.Options.Add(dryRun);
        command.SetAction(async (ParseResult r, CancellationToken ct) =>
        {
            var declarations = ProjectDeclarations.Read(FindProject(r.GetValue(project)));
            var wanted = r.GetValue(names) is { Length: > 0 } given ? given : declarations.Items.Select(i => i.Name).ToArray();
            foreach (var unknown in wanted.Where(n => declarations.Items.All(i => i.Name != n)))
            {
                throw new DsrsException(CliLockErrorCodes.UnknownItem, $"the project {declarations.ProjectFile} declares no DsrsManifest '{unknown}'");
            }

            if (r.GetValue(dryRun))
            {
                var dry = declarations with { Items = declarations.Items.Where(i => wanted.Contains(i.Name)).ToArray() };
                foreach (var item in await OutdatedCheck.RunAsync(dry, dry.Settings(context.Home, context.Env, locked: true, budgetMsat: 0), ct))
                {
                    await context.Out.WriteLineAsync($"{item.Name}: {(item.Status is "newer" or "ranks-higher" or "not-locked" ? $"would move {Short(item.LockedId)} -> {Short(item.BestId)} ({item.BestPriceMsat} msat)" : item.Status)}: {item.Why}");
                }

                return 0;
            }

            var settings = declarations.Settings(context.Home, context.Env, locked: false, r.GetValue(budget)) with { ResolveAgain = wanted.ToHashSet(StringComparer.Ordinal) };
            return await ResolveAndReportAsync(context, declarations.Items, settings, ct);
        });
        return command;
    }

    private static async Task<int> ResolveAndReportAsync(CliContext context, IReadOnlyList<DeclaredManifest> items, ResolveSettings settings, CancellationToken cancellationToken)
    {
        var outcome = await new ManifestResolver(settings, new ConsoleResolveLog(context)).ResolveAsync(items, cancellationToken);
        foreach (var failure in outcome.Failures)
        {
            await context.Error.WriteLineAsync($"error {failure.Code}: {failure.Message}");
        }

        return outcome.Failures.Count == 0 ? 0 : 1;
    }

    private static string FindProject(string? given)
    {
        if (given is not null)
        {
            return given;
        }

        var projects = Directory.GetFiles(Environment.CurrentDirectory, "*.csproj");
        return projects.Length == 1
            ? projects[0]
            : throw new DsrsException(CliLockErrorCodes.NoProject, projects.Length == 0 ? "no *.csproj in the current folder: give --project" : "several *.csproj in the current folder: give --project");
    }

    private static string Short(string? id) => id is null ? "-" : id.Length > 12 ? id[..12] : id;

    /// <summary>The resolver's lines on the console: the same text the build logs; a purchase is always printed.</summary>
    private sealed class ConsoleResolveLog(CliContext context) : IResolveLog
    {
        public void Summary(DeclaredManifest item, string line, bool important) => context.Out.WriteLine(line);

        public void Payment(DeclaredManifest item, string line) => context.Out.WriteLine(line);

        public void Total(string line, bool paid) => context.Out.WriteLine(line);

        public void Detail(string text)
        {
        }

        public void Warning(DeclaredManifest? item, string code, string message) => context.Error.WriteLine($"warning {code}: {message}");
    }
}
