using ManifestBuild.Format;
using ManifestBuild.Market.Redaction;
using ManifestBuild.TestSupport;

namespace ManifestBuild.Market.Tests;

public sealed class RedactionPolicyTests
{
    [Fact]
    public void Git_remotes_on_private_hosts_become_private_hosts_and_names()
    {
        using var dir = new TempDirectory("redact-remotes");
        Directory.CreateDirectory(dir.Combine("repo", ".git"));
        File.WriteAllText(dir.Combine("repo", ".git", "config"), """
            [core]
            	bare = false
            [remote "origin"]
            	url = git@git.quokka.io:treasury/cashflow-engine.git
            	fetch = +refs/heads/*:refs/remotes/origin/*
            [remote "public"]
            	url = https://github.com/someone/public-thing.git
            """);
        Directory.CreateDirectory(dir.Combine("repo", "sub", "deeper"));

        var policy = RedactionPolicy.FromGitRemotes(dir.Combine("repo", "sub", "deeper"));
        Assert.Equal(["git.quokka.io"], policy.PrivateHosts);
        Assert.Contains("cashflow-engine", policy.RemoteNames);
        Assert.Contains("treasury", policy.RemoteNames);
        Assert.DoesNotContain("public-thing", policy.RemoteNames);

        var text = new TextRedactor(RedactionMode.Paths, policy: policy).Redact("cashflow-engine on git.quokka.io is slow; https://git.quokka.io/x/y too");
        Assert.DoesNotContain("cashflow-engine", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("quokka", text, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("is slow", text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_worktree_reads_the_remotes_of_its_main_repository()
    {
        using var dir = new TempDirectory("redact-worktree");
        Directory.CreateDirectory(dir.Combine("main", ".git", "worktrees", "wt"));
        File.WriteAllText(dir.Combine("main", ".git", "config"), "[remote \"origin\"]\n\turl = https://scm.kiwi-labs.net/ops/orchard.git\n");
        File.WriteAllText(dir.Combine("main", ".git", "worktrees", "wt", "commondir"), "../..\n");
        Directory.CreateDirectory(dir.Combine("wt"));
        File.WriteAllText(dir.Combine("wt", ".git"), "gitdir: " + dir.Combine("main", ".git", "worktrees", "wt") + "\n");

        var policy = RedactionPolicy.FromGitRemotes(dir.Combine("wt"));
        Assert.Equal(["scm.kiwi-labs.net"], policy.PrivateHosts);
        Assert.Contains("orchard", policy.RemoteNames);
    }

    [Fact]
    public void No_repository_is_an_empty_policy()
    {
        using var dir = new TempDirectory("redact-norepo");
        // A temp folder is in no repository (unless the machine's temp is inside one, which it is not here).
        Assert.Same(RedactionPolicy.Empty, RedactionPolicy.FromGitRemotes(dir.Path));
    }

    [Fact]
    public void The_policy_file_is_read_and_a_malformed_one_refused()
    {
        using var dir = new TempDirectory("redact-policy");
        var path = dir.Write(RedactionPolicy.FileName, """{"deny":["Initrode"],"private_urls":["https://docs.example.com/internal-space/"],"public_hosts":["serde.rs"]}""");
        var policy = RedactionPolicy.LoadFile(path);
        var text = new TextRedactor(RedactionMode.Paths, policy: policy).Redact(
            "Initrode uses https://serde.rs/derive.html and https://docs.example.com/internal-space/plan and https://tokio.rs/tokio/tutorial");
        Assert.DoesNotContain("Initrode", text, StringComparison.Ordinal);
        Assert.Contains("https://serde.rs/derive.html", text, StringComparison.Ordinal);
        Assert.DoesNotContain("internal-space", text, StringComparison.Ordinal);
        Assert.DoesNotContain("tokio.rs", text, StringComparison.Ordinal); // not well known, not added: private

        File.WriteAllText(path, """{"deny":"Initrode"}""");
        Assert.Equal(MarketErrorCodes.BadRedactionPolicy, Assert.Throws<DsrsException>(() => RedactionPolicy.LoadFile(path)).Code);
        File.WriteAllText(path, "{not json");
        Assert.Equal(MarketErrorCodes.BadRedactionPolicy, Assert.Throws<DsrsException>(() => RedactionPolicy.LoadFile(path)).Code);
        Assert.Same(RedactionPolicy.Empty, RedactionPolicy.LoadFile(dir.Combine("absent.json")));
    }

    [Theory]
    [InlineData("https://docs.rs/serde", false)]
    [InlineData("https://en.wikipedia.org/wiki/Levenshtein_distance", false)]
    [InlineData("https://git.acme-internal.com/a/b", true)]
    [InlineData("https://wiki.internal.example.org/page", true)]
    [InlineData("http://intranet/home", true)]
    [InlineData("https://8.8.8.8/dns", true)]
    [InlineData("https://user:pw@docs.rs/x", true)]
    public void Only_well_known_public_hosts_are_public(string url, bool isPrivate)
    {
        Assert.Equal(isPrivate, RedactionPolicy.Empty.IsPrivateUrl(url));
    }

    [Fact]
    public void The_same_learned_name_gets_the_same_placeholder_in_any_case()
    {
        var redactor = new TextRedactor(RedactionMode.Paths);
        redactor.Learn("https://git.acme-internal.com/payments/Ledger-Core");
        var text = redactor.Redact("ledger-core and LEDGER-CORE and Ledger-Core");
        Assert.Equal(3, text.Split("<NAME_1>").Length - 1);
        Assert.Contains(redactor.Replacements, r => r.Kind == RedactionKind.Name && r.Placeholder == "<NAME_1>");
    }
}
