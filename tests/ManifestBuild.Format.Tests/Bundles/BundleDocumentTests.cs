using System.Security.Cryptography;
using System.Text;
using ManifestBuild.Format;
using ManifestBuild.Format.Bundles;
using ManifestBuild.Format.Json;
using ManifestBuild.Format.Locking;

namespace ManifestBuild.Format.Tests.Bundles;

public sealed class BundleDocumentTests
{
    private static readonly string A = new('a', 64);
    private static readonly string B = new('b', 64);

    [Fact]
    public void The_bundle_id_is_sha256_of_the_rfc8785_form_without_the_id_and_ignores_member_order()
    {
        var bundle = BundleDocument.Create("rust-systems", [B, A, B], "Rust systems programming");
        Assert.Equal([A, B], bundle.Members);

        // Computed independently: RFC 8785 sorts keys by UTF-16 code units; no whitespace.
        var canonical = $"{{\"description\":\"Rust systems programming\",\"format\":\"dsrs.bundle/1\",\"members\":[\"{A}\",\"{B}\"],\"name\":\"rust-systems\"}}";
        var expected = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(canonical))).ToLowerInvariant();
        Assert.Equal(expected, bundle.BundleId);
        Assert.Equal(bundle.BundleId, BundleDocument.Create("rust-systems", [A, B], "Rust systems programming").BundleId);
        Assert.NotEqual(bundle.BundleId, BundleDocument.Create("rust-systems", [A]).BundleId);

        var parsed = BundleDocument.Parse(bundle.ToText());
        Assert.Equal(bundle.BundleId, parsed.BundleId);
        Assert.Equal("Rust systems programming", parsed.Description);
    }

    [Theory]
    [InlineData("{\"format\":\"dsrs.bundle/2\",\"name\":\"x\",\"members\":[\"" + "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" + "\"]}", "format")]
    [InlineData("{\"format\":\"dsrs.bundle/1\",\"name\":\"has space\",\"members\":[\"" + "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" + "\"]}", "name")]
    [InlineData("{\"format\":\"dsrs.bundle/1\",\"name\":\"x\",\"members\":[]}", "members")]
    [InlineData("{\"format\":\"dsrs.bundle/1\",\"name\":\"x\",\"members\":[\"ABC\"]}", "compiled_id")]
    [InlineData("{\"format\":\"dsrs.bundle/1\",\"name\":\"x\",\"members\":[\"" + "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb" + "\",\"" + "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" + "\"]}", "sorted")]
    [InlineData("{\"format\":\"dsrs.bundle/1\",\"name\":\"x\",\"price\":1,\"members\":[\"" + "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" + "\"]}", "unknown member")]
    public void Each_rule_is_refused_naming_it(string text, string named)
    {
        var e = Assert.Throws<DsrsException>(() => BundleDocument.Parse(text));
        Assert.Equal(FormatErrorCodes.BundleInvalid, e.Code);
        Assert.Contains(named, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_or_stale_bundle_id_is_a_mismatch()
    {
        var json = BundleDocument.Create("x", [A]).Json.CloneObject();
        json.Remove(BundleDocument.IdMember);
        Assert.Equal(FormatErrorCodes.BundleIdMismatch, Assert.Throws<DsrsException>(() => BundleDocument.FromJson(json)).Code);
        json.Add(BundleDocument.IdMember, B);
        var e = Assert.Throws<DsrsException>(() => BundleDocument.FromJson(json));
        Assert.Equal(FormatErrorCodes.BundleIdMismatch, e.Code);
        Assert.Contains(BundleDocument.ComputeId(json), e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Lock_entries_carry_bundle_and_members_only_when_set_so_other_lockfiles_keep_their_bytes()
    {
        var file = new LockFile();
        file.Manifests["Plain"] = new LockEntry { SignatureName = "S", CompiledId = A };
        var plain = file.ToText();
        Assert.DoesNotContain("\"bundle\"", plain, StringComparison.Ordinal);
        Assert.DoesNotContain("\"members\"", plain, StringComparison.Ordinal);

        file.Manifests["Rust"] = new LockEntry { SignatureName = "rust-systems", CompiledId = B, Members = [A] };
        file.Manifests["Member"] = new LockEntry { SignatureName = "S", CompiledId = A, Bundle = B };
        var text = file.ToText();
        var back = LockFile.Parse(text);
        Assert.Equal([A], back.Manifests["Rust"].Members);
        Assert.Equal(B, back.Manifests["Member"].Bundle);
        Assert.Equal(string.Empty, back.Manifests["Plain"].Bundle);
        Assert.Equal(text, back.ToText());
        Assert.Equal(FormatErrorCodes.InvalidLockFile, Assert.Throws<DsrsException>(() => LockFile.Parse(text.Replace("\"bundle\": \"" + B, "\"bundle\": \"xyz", StringComparison.Ordinal))).Code);
    }
}
