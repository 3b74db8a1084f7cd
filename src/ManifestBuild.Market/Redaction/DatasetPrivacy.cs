using System.Globalization;
using System.Security.Cryptography;
using ManifestBuild.Format;
using ManifestBuild.Format.Datasets;
using ManifestBuild.Format.Json;

namespace ManifestBuild.Market.Redaction;

/// <summary>Laplace noise for one numeric field: scale = sensitivity / epsilon.</summary>
/// <param name="Field">An int or float field of the dataset's inputs or outputs.</param>
/// <param name="Epsilon">The privacy budget spent on this field (smaller is more private, noisier).</param>
/// <param name="Sensitivity">How much one person's data can move one value (the field's range, or a cap).</param>
/// <param name="Min">Optional floor applied after the noise (post-processing: it costs no privacy).</param>
public sealed record NoiseSpec(string Field, double Epsilon, double Sensitivity, double? Min = null)
{
    /// <summary>Parses <c>field:epsilon:sensitivity[:min]</c>, the CLI's form.</summary>
    public static NoiseSpec Parse(string text)
    {
        var parts = text.Split(':');
        if (parts.Length is < 3 or > 4 || parts[0].Length == 0
            || !double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var epsilon)
            || !double.TryParse(parts[2], NumberStyles.Float, CultureInfo.InvariantCulture, out var sensitivity))
        {
            throw new DsrsException(FormatErrorCodes.DatasetPrivacyInvalid, $"'{text}' is not field:epsilon:sensitivity[:min] (e.g. estimated_tokens:1.0:5000:0)");
        }

        double? min = parts.Length == 4
            ? double.TryParse(parts[3], NumberStyles.Float, CultureInfo.InvariantCulture, out var m) ? m : throw new DsrsException(FormatErrorCodes.DatasetPrivacyInvalid, $"'{parts[3]}' is not a number (the floor)")
            : null;
        return new NoiseSpec(parts[0], epsilon, sensitivity, min);
    }
}

/// <summary>
/// The privacy measures for a dataset beyond redaction: differential-privacy noise on numeric fields
/// and domain filtering (only examples from public repositories). Each returns a new sealed dataset
/// (new dataset_id) and records what was applied under <c>privacy</c>, so a buyer can see it.
/// </summary>
public static class DatasetPrivacy
{
    /// <summary>
    /// Adds Laplace(0, sensitivity/epsilon) noise to every value of each field, drawn from the
    /// operating system's CSPRNG; int fields are rounded after the noise, and an optional floor is
    /// applied (both post-processing). Protects each example's value of that field with
    /// epsilon-differential privacy for the stated sensitivity; it does not protect text fields.
    /// </summary>
    public static Dataset AddLaplaceNoise(Dataset dataset, IReadOnlyList<NoiseSpec> specs, Func<double>? uniform = null)
    {
        uniform ??= SecureUniform;
        var json = (JsonObject)dataset.Json.DeepClone();
        var fields = dataset.Inputs.Select(f => ("inputs", f)).Concat(dataset.Outputs.Select(f => ("outputs", f))).ToList();
        var applied = new JsonArray();
        foreach (var spec in specs)
        {
            if (!(spec.Epsilon > 0) || double.IsInfinity(spec.Epsilon) || !(spec.Sensitivity > 0) || double.IsInfinity(spec.Sensitivity))
            {
                throw new DsrsException(FormatErrorCodes.DatasetPrivacyInvalid, $"{spec.Field}: epsilon and sensitivity must be positive finite numbers");
            }

            var (side, field) = fields.FirstOrDefault(f => f.f.Name == spec.Field);
            if (field is null || field.Type is not (FieldTypes.Int or FieldTypes.Float))
            {
                throw new DsrsException(FormatErrorCodes.DatasetPrivacyInvalid, field is null
                    ? $"{spec.Field}: no such field (the dataset has {string.Join(", ", fields.Select(f => f.f.Name))})"
                    : $"{spec.Field}: noise applies to int and float fields, this one is {field.Type}");
            }

            var scale = spec.Sensitivity / spec.Epsilon;
            foreach (var example in (json["examples"] as JsonArray)?.OfType<JsonObject>() ?? [])
            {
                if (example[side] is JsonObject values && values[spec.Field] is JsonNumber n)
                {
                    var noisy = n.Value + Laplace(scale, uniform);
                    noisy = spec.Min is { } floor ? Math.Max(floor, noisy) : noisy;
                    values.Set(spec.Field, field.Type == FieldTypes.Int ? new JsonNumber((long)Math.Round(noisy)) : new JsonNumber(noisy));
                }
            }

            applied.Add(new JsonObject().Add("field", spec.Field).Add("mechanism", "laplace").Add("epsilon", spec.Epsilon).Add("sensitivity", spec.Sensitivity));
        }

        Privacy(json).Set("noise", Concat(Privacy(json)["noise"] as JsonArray, applied));
        return Dataset.Seal(json);
    }

    /// <summary>
    /// Keeps only the examples whose provenance says public and names a repository on a public code
    /// host (the example's own, or the dataset's only repository); what came from private work goes.
    /// </summary>
    public static (Dataset Dataset, int Removed) KeepOnlyPublic(Dataset dataset)
    {
        var json = (JsonObject)dataset.Json.DeepClone();
        var datasetRepos = (json["provenance"] as JsonObject)?["repositories"] as JsonArray;
        var fallback = datasetRepos is { Count: 1 } ? datasetRepos[0].AsString() : null;
        var kept = new JsonArray();
        var repositories = new SortedSet<string>(StringComparer.Ordinal);
        var removed = 0;
        foreach (var example in (json["examples"] as JsonArray)?.OfType<JsonObject>() ?? [])
        {
            var provenance = example["provenance"] as JsonObject;
            var repository = provenance?.GetString("repository") ?? fallback;
            if (provenance?["public"] is JsonBool { Value: true } && repository is not null && IsPublicRepository(repository))
            {
                kept.Add(example);
                repositories.Add(repository);
            }
            else
            {
                removed++;
            }
        }

        json.Set("examples", kept);
        json.Set("provenance", new JsonObject().Add("visibility", "public").Add("repositories", JsonArray.OfStrings(repositories)));
        Privacy(json).Set("only_public", JsonBool.True);
        return (Dataset.Seal(json), removed);
    }

    private static bool IsPublicRepository(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps && string.IsNullOrEmpty(uri.UserInfo) && WellKnownHosts.IsCodeHost(uri.Host);

    private static JsonObject Privacy(JsonObject json)
    {
        if (json["privacy"] is not JsonObject privacy)
        {
            privacy = new JsonObject();
            json.Set("privacy", privacy);
        }

        return privacy;
    }

    private static JsonArray Concat(JsonArray? before, JsonArray added)
    {
        var all = new JsonArray();
        foreach (var v in before ?? [])
        {
            all.Add(v.DeepClone());
        }

        foreach (var v in added)
        {
            all.Add(v);
        }

        return all;
    }

    /// <summary>One Laplace(0, scale) sample by the inverse CDF, from u uniform in (0, 1).</summary>
    public static double Laplace(double scale, Func<double> uniform)
    {
        var u = uniform() - 0.5;
        return -scale * Math.Sign(u) * Math.Log(1 - (2 * Math.Abs(u)));
    }

    // 53 random bits from the OS CSPRNG, shifted off 0 so ln() is finite.
    private static double SecureUniform()
    {
        var bits = BitConverter.ToUInt64(RandomNumberGenerator.GetBytes(8)) >> 11;
        return (bits + 0.5) / (1UL << 53);
    }
}
