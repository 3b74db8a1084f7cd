using ManifestBuild.Format;

namespace ManifestBuild.Runtime;

/// <summary>
/// Whether a manifest acquired at run time can replace the one a generated class was built with. The
/// class's records, enums and conversions were generated from its own fields, so the newer manifest must
/// be of the same signature and declare the same inputs and outputs: the same names, the same types, and
/// for an enum the same values in the same order (a generated enum member is the value's position).
/// Instruction, demos, descriptions, field order and adapter may all differ: that is what a newer manifest
/// improves.
/// </summary>
public static class SignatureUpgrade
{
    /// <summary>Null when <paramref name="candidate"/> fits <paramref name="current"/>; else the refusal (DSRS1112, DSRS1113).</summary>
    public static DsrsException? Check(SignatureSpec current, DynamicSignature candidate)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(candidate);
        var offered = $"the manifest {candidate.CompiledId}";
        if (!string.Equals(current.SignatureName, candidate.SignatureName, StringComparison.Ordinal))
        {
            return new DsrsException(RuntimeErrorCodes.OtherSignature,
                $"{offered} is of signature '{candidate.SignatureName}', not '{current.SignatureName}'; the manifest in use is kept");
        }

        if (!candidate.IsTyped)
        {
            return new DsrsException(RuntimeErrorCodes.IncompatibleSchema,
                $"{offered} of '{current.SignatureName}' declares no field schema, so its fields cannot be checked against this class's; the manifest in use is kept");
        }

        var differences = Differences("input", current.Inputs, candidate.Spec.Inputs).Concat(Differences("output", current.Outputs, candidate.Spec.Outputs)).ToList();
        return differences.Count == 0
            ? null
            : new DsrsException(RuntimeErrorCodes.IncompatibleSchema,
                $"{offered} of '{current.SignatureName}' has another field schema ({string.Join("; ", differences)}); the manifest in use is kept");
    }

    private static IEnumerable<string> Differences(string side, IReadOnlyList<SignatureField> current, IReadOnlyList<SignatureField> candidate)
    {
        var theirs = candidate.ToDictionary(f => f.Name, StringComparer.Ordinal);
        foreach (var field in current)
        {
            if (!theirs.TryGetValue(field.Name, out var other))
            {
                yield return $"no {side} '{field.Name}'";
            }
            else if (other.Kind != field.Kind)
            {
                yield return $"the {side} '{field.Name}' is {other.Kind}, not {field.Kind}";
            }
            else if (field.Kind == FieldKind.Enum && !field.EnumValues.SequenceEqual(other.EnumValues, StringComparer.Ordinal))
            {
                yield return $"the {side} '{field.Name}' lists [{string.Join(", ", other.EnumValues)}], not [{string.Join(", ", field.EnumValues)}]";
            }
        }

        foreach (var extra in candidate.Where(f => current.All(c => !string.Equals(c.Name, f.Name, StringComparison.Ordinal))))
        {
            yield return $"an {side} '{extra.Name}' this class does not have";
        }
    }
}
