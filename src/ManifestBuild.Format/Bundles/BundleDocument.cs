using ManifestBuild.Format.Json;

namespace ManifestBuild.Format.Bundles;

/// <summary>
/// A <c>dsrs.bundle/1</c> document: a named set of manifests sold together for one price.
/// <c>{"format":"dsrs.bundle/1","name":"rust-systems","description":"...","members":["&lt;compiled_id&gt;",...],"bundle_id":"..."}</c>.
/// Members are sorted and distinct, so one set of manifests has one id; <c>bundle_id</c> is the lowercase hex
/// SHA-256 of the RFC 8785 canonical form of the document without <c>bundle_id</c>, computed by the same code as
/// compiled_id (<see cref="CompiledId.Sha256Hex(byte[])"/> over <see cref="JsonCanonicalizer"/>).
/// Only <see cref="Parse(string)"/>, <see cref="FromJson"/> and <see cref="Create"/> make one, after every check.
/// </summary>
public sealed class BundleDocument
{
    public const string FormatName = "dsrs.bundle/1";
    public const string IdMember = "bundle_id";
    public const int MaxMembers = 64;
    private const int MaxNameLength = 64;
    private const int MaxDescriptionLength = 2000;

    private BundleDocument(string bundleId, string name, string? description, IReadOnlyList<string> members, JsonObject json)
    {
        BundleId = bundleId;
        Name = name;
        Description = description;
        Members = members;
        Json = json;
    }

    public string BundleId { get; }

    /// <summary>What a build declares the bundle by (letters, digits, '-', '_', '.').</summary>
    public string Name { get; }

    public string? Description { get; }

    /// <summary>The members' compiled_ids, sorted ordinally, distinct.</summary>
    public IReadOnlyList<string> Members { get; }

    /// <summary>The whole document, bundle_id included.</summary>
    public JsonObject Json { get; }

    /// <summary>The document's text as stored and listed (compact).</summary>
    public string ToText() => JsonWriter.Write(Json, false);

    /// <summary>A new document for these members (sorted and de-duplicated here), its id computed.</summary>
    public static BundleDocument Create(string name, IEnumerable<string> members, string? description = null)
    {
        var json = new JsonObject().Add("format", FormatName).Add("name", name);
        if (description is not null)
        {
            json.Add("description", description);
        }

        json.Add("members", JsonArray.OfStrings(members.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)));
        json.Add(IdMember, ComputeId(json));
        return FromJson(json);
    }

    public static BundleDocument Parse(string text)
    {
        JsonObject json;
        try
        {
            json = JsonParser.ParseObject(text);
        }
        catch (DsrsException e)
        {
            throw Invalid("not a JSON object: " + e.Message);
        }

        return FromJson(json);
    }

    public static BundleDocument Load(string path)
    {
        try
        {
            return Parse(File.ReadAllText(path));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DsrsException(FormatErrorCodes.BundleInvalid, $"the bundle {path} cannot be read: {e.Message}");
        }
    }

    /// <summary>Checks every rule and the stated id; throws DSRS0154 (shape) or DSRS0155 (id) naming what failed.</summary>
    public static BundleDocument FromJson(JsonObject json)
    {
        foreach (var member in json.Names)
        {
            if (member is not ("format" or "name" or "description" or "members" or IdMember))
            {
                throw Invalid($"unknown member \"{UntrustedText.Neutralise(member, 40)}\" (a dsrs.bundle/1 document has format, name, description, members and bundle_id)");
            }
        }

        if (json.GetString("format") != FormatName)
        {
            throw Invalid($"format must be \"{FormatName}\"");
        }

        var name = json.GetString("name");
        if (name is null || name.Length is 0 or > MaxNameLength || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
        {
            throw Invalid($"name must be 1-{MaxNameLength} ASCII letters, digits, '-', '_' or '.'");
        }

        string? description = null;
        if (json["description"] is { } d)
        {
            description = d.AsString() ?? throw Invalid("description must be a string");
            if (description.Length > MaxDescriptionLength)
            {
                throw Invalid($"description is longer than {MaxDescriptionLength} characters");
            }
        }

        if (json["members"] is not JsonArray array || array.Count is 0 or > MaxMembers)
        {
            throw Invalid($"members must be an array of 1-{MaxMembers} compiled_ids");
        }

        var members = new List<string>(array.Count);
        foreach (var value in array)
        {
            var id = value.AsString();
            if (!CompiledId.IsWellFormed(id))
            {
                throw Invalid("each member must be a compiled_id: 64 lowercase hex digits");
            }

            if (members.Count > 0 && string.CompareOrdinal(members[^1], id) >= 0)
            {
                throw Invalid("members must be sorted and distinct (so that one set of manifests has one bundle_id)");
            }

            members.Add(id!);
        }

        var computed = ComputeId(json);
        var stated = json.GetString(IdMember);
        if (stated != computed)
        {
            throw new DsrsException(FormatErrorCodes.BundleIdMismatch, stated is null
                ? $"the bundle has no bundle_id; recomputed {computed}"
                : $"bundle_id mismatch: stated {UntrustedText.Neutralise(stated, 70)}, recomputed {computed}");
        }

        return new BundleDocument(computed, name, description, members, json.CloneObject());
    }

    /// <summary>The id of a document object (its bundle_id member left out).</summary>
    public static string ComputeId(JsonObject json)
    {
        var hashed = new JsonObject();
        foreach (var member in json.Members)
        {
            if (member.Key != IdMember)
            {
                hashed.Add(member.Key, member.Value);
            }
        }

        return CompiledId.Sha256Hex(JsonCanonicalizer.CanonicalizeToUtf8(hashed));
    }

    private static DsrsException Invalid(string why) => new(FormatErrorCodes.BundleInvalid, "invalid dsrs.bundle/1 document: " + why);
}
