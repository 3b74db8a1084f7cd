using ManifestBuild.Format.Json;

namespace ManifestBuild.Format.Interop;

/// <summary>
/// Converts the dsrs crate's <c>CompiledModuleManifest</c> (serde JSON) into dsrs.manifest/1. The crate's
/// compiled_id hashes only name, optimizer, instruction and demo count, so it is kept as
/// <c>source_compiled_id</c> and the manifest gets its own id over everything.
/// </summary>
public static class DsrsCrateImporter
{
    private static readonly Dictionary<string, string> Optimizers = new(StringComparer.OrdinalIgnoreCase)
    {
        ["MIPROv2"] = "mipro",
        ["MIPRO"] = "mipro",
        ["GEPA"] = "gepa",
        ["COPRO"] = "copro",
        ["BootstrapFewShot"] = "bootstrap_fewshot",
        ["bootstrap_fewshot"] = "bootstrap_fewshot",
    };

    public static bool LooksLikeCrateManifest(JsonObject json) =>
        json.ContainsKey("demo_count") || json.ContainsKey("compatibility") || json.ContainsKey("promotion_state");

    public static Manifest Import(JsonObject crate, string? family = null, IReadOnlyList<string>? domainTags = null)
    {
        var signatureName = Required<JsonString>(crate, "signature_name", "a string").Value;
        var optimizer = Required<JsonString>(crate, "optimizer", "a string").Value;
        var createdAt = Required<JsonNumber>(crate, "created_at", "an integer (unix seconds)");
        if (!createdAt.TryGetInt64(out var created) || created < 0)
        {
            throw new DsrsException(FormatErrorCodes.NotDsrsManifest, "not a dsrs CompiledModuleManifest: created_at must be a non-negative integer");
        }

        var json = new JsonObject()
            .Add("format", Manifest.FormatV1)
            .Add("signature_name", signatureName);
        if (family is not null)
        {
            json.Add("family", family);
        }

        if (crate["instruction"] is JsonString instruction)
        {
            json.Add("instruction", instruction.Value);
        }

        json.Add("optimizer", Optimizers.TryGetValue(optimizer, out var known) ? known : optimizer.ToLowerInvariant());
        if (crate["scorecard"] is JsonObject scorecard)
        {
            json.Add("scorecard", Scorecard(scorecard));
        }

        if (domainTags is { Count: > 0 })
        {
            json.Add("domain_tags", JsonArray.OfStrings(domainTags));
        }

        if (crate["trainset_id"] is JsonString trainset)
        {
            json.Add("trainset_id", trainset.Value);
        }

        json.Add("created_at", created);
        if (crate["compatibility"] is JsonObject compatibility && compatibility.Count > 0)
        {
            json.Add("compatibility", compatibility.DeepClone());
        }

        var source = new JsonObject().Add("kind", "dsrs").Add("optimizer", optimizer);
        foreach (var name in new[] { "demo_count", "promotion_state", "eval_history" })
        {
            if (crate[name] is { } value and not JsonNull)
            {
                source.Add(name, value.DeepClone());
            }
        }

        json.Add("source", source);
        if (crate["compiled_id"] is JsonString sourceId)
        {
            json.Add("source_compiled_id", sourceId.Value);
        }

        var manifest = Manifest.FromJson(json);
        manifest.SealCompiledId();
        return manifest;
    }

    private static JsonObject Scorecard(JsonObject crate)
    {
        var scorecard = new JsonObject();
        foreach (var name in new[] { "median_score", "rollouts", "p_fail", "proxy_metrics", "truth_metrics" })
        {
            if (crate[name] is { } value and not JsonNull)
            {
                scorecard.Add(name, value.DeepClone());
            }
        }

        // Members a newer crate adds are kept rather than dropped.
        foreach (var member in crate.Members.Where(m => !scorecard.ContainsKey(m.Key)))
        {
            scorecard.Add(member.Key, member.Value.DeepClone());
        }

        return scorecard;
    }

    private static T Required<T>(JsonObject crate, string member, string what)
        where T : JsonValue =>
        crate[member] as T ?? throw new DsrsException(FormatErrorCodes.NotDsrsManifest, "not a dsrs CompiledModuleManifest: " + member + " is required and must be " + what);
}
