using System.Globalization;
using ManifestBuild.Format.Json;

namespace ManifestBuild.Format;

/// <summary>One broken rule: the member's path (<c>outputs[1].values</c>) and the rule it breaks.</summary>
public sealed class ManifestProblem
{
    public ManifestProblem(string member, string rule, string code = FormatErrorCodes.InvalidManifest)
    {
        Member = member;
        Rule = rule;
        Code = code;
    }

    /// <summary>DSRS0101 for a broken rule of the format, DSRS0114 for an inexact number.</summary>
    public string Code { get; }

    public string Member { get; }

    public string Rule { get; }

    public override string ToString() => Member + " " + Rule;
}

/// <summary>
/// The rules of dsrs.manifest/1 (protocol §1). Structural only: whether the stated compiled_id
/// matches the content is a separate check (<see cref="CompiledId.Verify"/>), because a manifest
/// being edited or imported has no id yet.
/// </summary>
public static class ManifestValidator
{
    /// <summary>Every problem found, in document order; empty when the manifest is valid.</summary>
    public static IReadOnlyList<ManifestProblem> Validate(JsonObject manifest)
    {
        var problems = new List<ManifestProblem>();
        var context = new Checker(problems);
        context.Check(manifest);
        return problems;
    }

    /// <summary>Throws DSRS0101 listing every problem; DSRS0106 for a newer format version.</summary>
    public static void ThrowIfInvalid(JsonObject manifest)
    {
        if (manifest.GetString("format") is { } format && format.StartsWith("dsrs.manifest/", StringComparison.Ordinal) && format != Manifest.FormatV1)
        {
            throw new DsrsException(FormatErrorCodes.UnsupportedFormat, "format \"" + format + "\" is not understood by this version, which reads " + Manifest.FormatV1);
        }

        var problems = Validate(manifest);
        if (problems.Count > 0)
        {
            // An inexact number is named by its own code: the content is well-formed, yet unsafe to hash.
            var code = problems.All(p => p.Code == FormatErrorCodes.InexactNumber) ? FormatErrorCodes.InexactNumber : FormatErrorCodes.InvalidManifest;
            throw new DsrsException(code, string.Join("; ", problems));
        }
    }

    private sealed class Checker(List<ManifestProblem> problems)
    {
        private static readonly HashSet<string> Adapters = new(StringComparer.Ordinal) { "chat", "json" };

        public void Check(JsonObject m)
        {
            if (m["format"] is { } format && format.AsString() != Manifest.FormatV1)
            {
                Add("format", "must be \"" + Manifest.FormatV1 + "\" when present");
            }

            if (!m.ContainsKey("signature_name"))
            {
                Add("signature_name", "is required");
            }

            NonEmptyString(m, "signature_name");
            NonEmptyString(m, "family");
            OptionalString(m, "instruction");
            NonEmptyString(m, "optimizer");
            NonEmptyString(m, "trainset_id");
            if (m["adapter"] is { } adapter && (adapter.AsString() is not { } a || !Adapters.Contains(a)))
            {
                Add("adapter", "must be \"chat\" or \"json\"");
            }

            var names = new HashSet<string>(StringComparer.Ordinal);
            var inputs = Fields(m, "inputs", names);
            var outputs = Fields(m, "outputs", names);
            Demos(m, inputs, outputs);
            Scorecard(m);
            DomainTags(m);
            NonNegativeInteger(m, "example_count", "example_count");
            NonNegativeInteger(m, "created_at", "created_at");
            if (m["compiled_id"] is { } id && !CompiledId.IsWellFormed(id.AsString()))
            {
                Add("compiled_id", "must be 64 lowercase hex digits (a SHA-256)");
            }

            foreach (var (path, text) in InexactNumbers.Find(m))
            {
                problems.Add(new ManifestProblem(path, "is " + text + ", which a double cannot hold exactly (I-JSON, RFC 7493: whole numbers within +/-(2^53-1), no more digits than the double's shortest form); compiled_id would hash it as " + EcmaNumber.Format(double.Parse(text, CultureInfo.InvariantCulture)), FormatErrorCodes.InexactNumber));
            }
        }

        private HashSet<string>? Fields(JsonObject m, string member, HashSet<string> allNames)
        {
            if (m[member] is not { } value)
            {
                return null;
            }

            if (value is not JsonArray fields)
            {
                Add(member, "must be an array of fields");
                return null;
            }

            var names = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < fields.Count; i++)
            {
                var path = member + "[" + i.ToString(CultureInfo.InvariantCulture) + "]";
                if (fields[i] is not JsonObject field)
                {
                    Add(path, "must be an object {name, type, description?, values?}");
                    continue;
                }

                var name = field.GetString("name");
                if (name is null)
                {
                    Add(path + ".name", "is required and must be a string");
                }
                else if (!FieldNames.IsValid(name))
                {
                    Add(path + ".name", "must be a name Python, DSPy and C# all accept (" + FieldNames.Rule + "), got " + JsonStringEscaper.Escape(name));
                }
                else if (!allNames.Add(name))
                {
                    Add(path + ".name", "must be unique across inputs and outputs, \"" + name + "\" is repeated");
                }
                else
                {
                    names.Add(name);
                }

                var type = field.GetString("type");
                if (type is null)
                {
                    Add(path + ".type", "is required: one of " + string.Join(", ", FieldTypes.All));
                }
                else if (!FieldTypes.IsKnown(type))
                {
                    Add(path + ".type", "must be one of " + string.Join(", ", FieldTypes.All) + ", got " + JsonStringEscaper.Escape(type));
                }

                OptionalString(field, "description", path + ".description");
                EnumValues(field, type, path);
            }

            return names;
        }

        private void EnumValues(JsonObject field, string? type, string path)
        {
            var values = field["values"];
            if (type != FieldTypes.Enum)
            {
                if (values is not null)
                {
                    Add(path + ".values", "is allowed only for enum fields");
                }

                return;
            }

            if (values is not JsonArray array || array.Count == 0)
            {
                Add(path + ".values", "must be non-empty for enum fields");
                return;
            }

            var seen = new HashSet<string>(StringComparer.Ordinal);
            for (var j = 0; j < array.Count; j++)
            {
                var valuePath = path + ".values[" + j.ToString(CultureInfo.InvariantCulture) + "]";
                if (array[j].AsString() is not { Length: > 0 } member)
                {
                    Add(valuePath, "must be a non-empty string");
                }
                else if (!seen.Add(member))
                {
                    Add(valuePath, "must be unique, \"" + member + "\" is repeated");
                }
            }
        }

        private void Demos(JsonObject m, HashSet<string>? inputs, HashSet<string>? outputs)
        {
            if (m["demos"] is not { } value)
            {
                return;
            }

            if (value is not JsonArray demos)
            {
                Add("demos", "must be an array of {inputs, outputs}");
                return;
            }

            for (var i = 0; i < demos.Count; i++)
            {
                var path = "demos[" + i.ToString(CultureInfo.InvariantCulture) + "]";
                if (demos[i] is not JsonObject demo)
                {
                    Add(path, "must be an object {inputs, outputs}");
                    continue;
                }

                DemoSide(demo, path, "inputs", inputs, "input");
                DemoSide(demo, path, "outputs", outputs, "output");
            }
        }

        private void DemoSide(JsonObject demo, string path, string side, HashSet<string>? declared, string kind)
        {
            if (demo[side] is not JsonObject values)
            {
                Add(path + "." + side, "is required and must be an object of field values");
                return;
            }

            if (declared is null)
            {
                return;
            }

            foreach (var name in values.Names)
            {
                if (!declared.Contains(name))
                {
                    Add(path + "." + side + "." + name, "is not a declared " + kind + " field");
                }
            }
        }

        private void Scorecard(JsonObject m)
        {
            if (m["scorecard"] is not { } value)
            {
                return;
            }

            if (value is not JsonObject scorecard)
            {
                Add("scorecard", "must be an object");
                return;
            }

            if (scorecard["median_score"] is { } median && median is not JsonNumber)
            {
                Add("scorecard.median_score", "must be a number");
            }

            NonNegativeInteger(scorecard, "rollouts", "scorecard.rollouts");
            NonNegativeInteger(scorecard, "holdout_size", "scorecard.holdout_size");
            Fraction(scorecard, "p_fail", "scorecard.p_fail");
            Fraction(scorecard, "accuracy", "scorecard.accuracy");
            OptionalString(scorecard, "metric", "scorecard.metric");
        }

        private void DomainTags(JsonObject m)
        {
            if (m["domain_tags"] is not { } value)
            {
                return;
            }

            if (value is not JsonArray tags)
            {
                Add("domain_tags", "must be an array of strings");
                return;
            }

            var seen = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < tags.Count; i++)
            {
                var path = "domain_tags[" + i.ToString(CultureInfo.InvariantCulture) + "]";
                if (tags[i].AsString() is not { Length: > 0 } tag)
                {
                    Add(path, "must be a non-empty string");
                }
                else if (tag != tag.ToLowerInvariant())
                {
                    Add(path, "must be lowercase, got " + JsonStringEscaper.Escape(tag));
                }
                else if (!seen.Add(tag))
                {
                    Add(path, "must be unique, \"" + tag + "\" is repeated");
                }
            }
        }

        private void NonEmptyString(JsonObject json, string member)
        {
            if (json[member] is { } value && value.AsString() is not { Length: > 0 })
            {
                Add(member, "must be a non-empty string");
            }
        }

        private void OptionalString(JsonObject json, string member, string? path = null)
        {
            if (json[member] is { } value && value is not JsonString)
            {
                Add(path ?? member, "must be a string");
            }
        }

        private void NonNegativeInteger(JsonObject json, string member, string path)
        {
            if (json[member] is { } value && !(value is JsonNumber n && n.TryGetInt64(out var v) && v >= 0))
            {
                Add(path, "must be a non-negative integer");
            }
        }

        private void Fraction(JsonObject json, string member, string path)
        {
            if (json[member] is { } value && !(value is JsonNumber n && n.Value >= 0 && n.Value <= 1))
            {
                Add(path, "must be a number from 0 to 1");
            }
        }

        private void Add(string member, string rule) => problems.Add(new ManifestProblem(member, rule));
    }
}
