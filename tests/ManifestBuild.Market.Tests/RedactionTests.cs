using ManifestBuild.Format;
using ManifestBuild.Format.Json;
using ManifestBuild.Market.Redaction;

namespace ManifestBuild.Market.Tests;

public sealed class RedactionTests
{
    // Obviously fake test values in the shapes real secrets have. Each is split where it is written,
    // so that no secret scanner run over this repository takes the source for a leak; the redactor
    // under test sees the whole value.
    private const string OpenAiKey = "sk-" + "proj-TESTabcdefghijklmnopqrstuvwxyz0123456789";
    private const string GithubToken = "ghp_" + "TESTabcdefghijklmnopqrstuvwxyz0123456789";
    private const string AwsKey = "AKIA" + "IOSFODNN7EXAMPLE"; // AWS's own documented example key
    private const string PemHeader = "-----BEGIN RSA " + "PRIVATE KEY-----";
    private const string Jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ0ZXN0LXVzZXIifQ.c2lnbmF0dXJlLXRlc3Qtb25seQ";

    [Fact]
    public void Secrets_of_every_common_format_are_replaced_and_counted()
    {
        var text = $"key {OpenAiKey} and {GithubToken} and {AwsKey} and {Jwt} and {PemHeader}\nMIIEtest\n-----END RSA PRIVATE KEY----- and password=hunter2hunter2";
        var redactor = new TextRedactor(RedactionMode.Paths);
        var result = redactor.Redact(text);
        foreach (var secret in new[] { OpenAiKey, GithubToken, AwsKey, Jwt, "MIIEtest", "hunter2hunter2" })
        {
            Assert.DoesNotContain(secret, result, StringComparison.Ordinal);
        }

        Assert.Equal(6, redactor.Occurrences[RedactionKind.Secret]);
        Assert.Contains("<SECRET_1>", result, StringComparison.Ordinal);
    }

    [Fact]
    public void Paths_emails_private_urls_and_repos_get_consistent_placeholders()
    {
        var redactor = new TextRedactor(RedactionMode.Paths);
        var a = redactor.Redact("see /home/alice/work/acme-billing/src/lib.rs and mail bob@acme.example");
        var b = redactor.Redact("again /home/alice/work/acme-billing/src/lib.rs, http://build.corp.internal/job/7 and https://github.com/acme/billing-core, not https://docs.rs/serde");
        Assert.Equal("see <PATH_1> and mail <EMAIL_1>", a);
        Assert.Equal("again <PATH_1>, <URL_1> and <REPO_1>, not https://docs.rs/serde", b);
        Assert.Equal(2, redactor.Occurrences[RedactionKind.Path]);
        Assert.Equal(1, redactor.DistinctValues[RedactionKind.Path]);
    }

    [Fact]
    public void Identifiers_mode_replaces_code_identifiers_but_keeps_declared_names()
    {
        var redactor = new TextRedactor(RedactionMode.Identifiers, ["needs_review", "code"]);
        var result = redactor.Redact("fn parseInvoiceLines(billing_total: u64) -> needs_review { code }");
        Assert.Contains("needs_review", result, StringComparison.Ordinal);
        Assert.DoesNotContain("parseInvoiceLines", result, StringComparison.Ordinal);
        Assert.DoesNotContain("billing_total", result, StringComparison.Ordinal);
        Assert.Equal(2, redactor.Occurrences[RedactionKind.Ident]);

        var paths = new TextRedactor(RedactionMode.Paths).Redact("fn parseInvoiceLines()");
        Assert.Equal("fn parseInvoiceLines()", paths);
    }

    [Fact]
    public void A_manifest_keeps_its_schema_and_gets_a_new_compiled_id()
    {
        var manifest = MarketSamples.Manifest(instruction: "Classify. Ask alice@acme.example, token " + GithubToken, extraDemo: "// from /Users/alice/acme/src/main.rs\nlet fooBar = 1;");
        var before = MarketSamples.Id(manifest);
        var result = ManifestRedactor.Redact(manifest, RedactionMode.Identifiers);
        var redacted = (JsonObject)result.Document;
        Assert.Equal(before, result.OldCompiledId);
        Assert.NotEqual(before, result.NewCompiledId);
        Assert.Equal(result.NewCompiledId, CompiledId.Verify(redacted));
        ManifestValidator.ThrowIfInvalid(redacted);
        var text = JsonWriter.Write(redacted, false);
        Assert.DoesNotContain("alice", text, StringComparison.Ordinal);
        Assert.DoesNotContain(GithubToken, text, StringComparison.Ordinal);
        Assert.DoesNotContain("fooBar", text, StringComparison.Ordinal);
        Assert.Contains("needs_review", text, StringComparison.Ordinal);
        Assert.Equal("ComplexityClassificationSignature", redacted.GetString("signature_name"));
        Assert.Empty(SecretScanner.Scan(redacted));
        Assert.Contains("secret: 1", result.Summary(), StringComparison.Ordinal);
        Assert.DoesNotContain(GithubToken, result.Summary(), StringComparison.Ordinal);
        // The original is untouched.
        Assert.Equal(before, CompiledId.Verify(manifest));
    }

    [Fact]
    public void Scanner_reports_kinds_and_locations_never_values()
    {
        var manifest = MarketSamples.Manifest(instruction: "use " + OpenAiKey + " from /home/bob/keys");
        var findings = SecretScanner.Scan(manifest);
        Assert.Contains(findings, f => f.Kind == RedactionKind.Secret && f.Where == "$.instruction");
        Assert.Contains(findings, f => f.Kind == RedactionKind.Path);
        Assert.DoesNotContain(OpenAiKey, SecretScanner.Describe(findings), StringComparison.Ordinal);
        Assert.Empty(SecretScanner.Scan(MarketSamples.Manifest()));
    }

    [Fact]
    public void A_jsonl_dataset_is_redacted_row_by_row_with_shared_placeholders()
    {
        var (document, lines) = ManifestRedactor.ParseInput("{\"q\":\"/srv/app/x.py\"}\n{\"q\":\"again /srv/app/x.py\"}\n");
        Assert.True(lines);
        var result = ManifestRedactor.Redact(document, RedactionMode.Paths);
        var rows = (JsonArray)result.Document;
        Assert.Equal("<PATH_1>", rows[0].AsObject()!.GetString("q"));
        Assert.Equal("again <PATH_1>", rows[1].AsObject()!.GetString("q"));
        Assert.Null(result.NewCompiledId);
    }

    [Fact]
    public void The_local_account_name_is_a_user_but_service_accounts_are_words()
    {
        Assert.Equal("ask <USER_1> about it", new TextRedactor(RedactionMode.Paths, localUserName: "zelda").Redact("ask zelda about it"));
        Assert.Equal("the root cause", new TextRedactor(RedactionMode.Paths, localUserName: "root").Redact("the root cause"));
    }
}
