using System.Globalization;
using ManifestBuild.Format.Json;

namespace ManifestBuild.Format.Datasets;

/// <summary>
/// The rules of dsrs.dataset/1. The field schema, domain tags and example shape are a manifest's, so
/// they are checked by <see cref="ManifestValidator"/> itself (one rule set, not a copy): the dataset is
/// projected onto a manifest whose demos are its examples, and the problems renamed back. On top of
/// that: a family, values of the declared types, provenance, and an example count that is the truth.
/// </summary>
public static class DatasetValidator
{
    public static IReadOnlyList<ManifestProblem> Validate(JsonObject dataset)
    {
        var problems = new List<ManifestProblem>();
        var projection = new JsonObject().Add("signature_name", "dataset");
        foreach (var member in new[] { "family", "inputs", "outputs", "domain_tags", "example_count", "created_at" })
        {
            if (dataset[member] is { } value)
            {
                projection.Add(member, value);
            }
        }

        if (dataset["examples"] is { } examples)
        {
            projection.Add("demos", examples);
        }

        problems.AddRange(ManifestValidator.Validate(projection).Select(p => new ManifestProblem(
            p.Member.StartsWith("demos", StringComparison.Ordinal) ? "examples" + p.Member["demos".Length..] : p.Member, p.Rule)));

        if (dataset.GetString("family") is not { Length: > 0 })
        {
            problems.Add(new("family", "is required: the decision the examples train (complexity, delegation, ...)"));
        }

        if (dataset["inputs"] is not JsonArray || dataset["outputs"] is not JsonArray { Count: > 0 })
        {
            problems.Add(new("inputs/outputs", "are required: a dataset's examples need a field schema with at least one output"));
        }

        if (dataset[Dataset.IdMember] is { } id && !CompiledId.IsWellFormed(id.AsString()))
        {
            problems.Add(new(Dataset.IdMember, "must be 64 lowercase hex digits (a SHA-256)"));
        }

        if (dataset["examples"] is JsonArray rows)
        {
            if (dataset["example_count"] is JsonNumber count && count.TryGetInt64(out var n) && n != rows.Count)
            {
                problems.Add(new("example_count", $"says {n} but the dataset holds {rows.Count} examples"));
            }

            CheckValues(dataset, rows, problems);
        }

        CheckProvenance(dataset["provenance"], "provenance", problems, top: true);
        return problems;
    }

    private static void CheckValues(JsonObject dataset, JsonArray rows, List<ManifestProblem> problems)
    {
        var types = new Dictionary<string, ManifestField>(StringComparer.Ordinal);
        foreach (var side in new[] { "inputs", "outputs" })
        {
            foreach (var field in (dataset[side] as JsonArray)?.OfType<JsonObject>() ?? [])
            {
                var f = ManifestField.FromJson(field);
                types[side + "." + f.Name] = f;
            }
        }

        for (var i = 0; i < rows.Count; i++)
        {
            if (rows[i] is not JsonObject row)
            {
                continue; // the projection already said so
            }

            var path = "examples[" + i.ToString(CultureInfo.InvariantCulture) + "]";
            foreach (var side in new[] { "inputs", "outputs" })
            {
                foreach (var member in (row[side] as JsonObject)?.Members ?? [])
                {
                    if (types.TryGetValue(side + "." + member.Key, out var field) && !FieldValues.Fits(field, member.Value))
                    {
                        problems.Add(new(path + "." + side + "." + member.Key, "must be a " + field.Type + " value"));
                    }
                }
            }

            CheckProvenance(row["provenance"], path + ".provenance", problems, top: false);
        }
    }

    // provenance: {"visibility":"public|private|mixed","repositories":[...]} on the dataset;
    // {"public":bool,"repository"?:url} on an example.
    private static void CheckProvenance(JsonValue? value, string path, List<ManifestProblem> problems, bool top)
    {
        if (value is null)
        {
            return;
        }

        if (value is not JsonObject p)
        {
            problems.Add(new(path, "must be an object"));
            return;
        }

        if (top)
        {
            if (p["visibility"] is { } v && v.AsString() is not ("public" or "private" or "mixed"))
            {
                problems.Add(new(path + ".visibility", "must be \"public\", \"private\" or \"mixed\""));
            }

            if (p["repositories"] is { } repos && (repos is not JsonArray list || list.Any(r => r.AsString() is not { Length: > 0 })))
            {
                problems.Add(new(path + ".repositories", "must be a list of repository URLs"));
            }
        }
        else
        {
            if (p["public"] is not JsonBool)
            {
                problems.Add(new(path + ".public", "is required and must be true or false"));
            }

            if (p["repository"] is { } repo && repo.AsString() is not { Length: > 0 })
            {
                problems.Add(new(path + ".repository", "must be a repository URL"));
            }
        }
    }
}

/// <summary>Whether a JSON value is a value of a field's declared type.</summary>
internal static class FieldValues
{
    public static bool Fits(ManifestField field, JsonValue value) => field.Type switch
    {
        FieldTypes.String => value is JsonString,
        FieldTypes.Int => value is JsonNumber n && n.TryGetInt64(out _),
        FieldTypes.Float => value is JsonNumber,
        FieldTypes.Bool => value is JsonBool,
        FieldTypes.StringArray => value is JsonArray a && a.All(v => v is JsonString),
        FieldTypes.Enum => value.AsString() is { } s && (field.Values?.Contains(s, StringComparer.Ordinal) ?? false),
        _ => true,
    };
}
