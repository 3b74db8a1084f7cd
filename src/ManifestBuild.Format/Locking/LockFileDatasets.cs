using ManifestBuild.Format.Json;

namespace ManifestBuild.Format.Locking;

/// <summary>
/// The "datasets" member of dsrs.lock.json: <c>{"&lt;Name&gt;":{"dataset_id", "family", "domains", "address",
/// "event_id", "seller", "price_msat", "payment_hash", "relays", "resolved_at"}}</c>. A manifest entry's
/// rules and member order, without signature_name and accuracy, with dataset_id for compiled_id, so the
/// two kinds are checked by one parser and written by one writer.
/// </summary>
internal static class LockFileDatasets
{
    private const string IdMember = "dataset_id";

    public static LockEntry ParseEntry(string name, JsonValue value)
    {
        if (value is not JsonObject json)
        {
            throw LockFile.Invalid("datasets." + name + " must be an object");
        }

        var asManifest = new JsonObject().Add("signature_name", string.Empty);
        foreach (var member in json.Members)
        {
            asManifest.Add(member.Key == IdMember ? "compiled_id" : member.Key, member.Value);
        }

        if (json[IdMember] is null)
        {
            throw LockFile.Invalid("datasets." + name + "." + IdMember + " must be a string");
        }

        try
        {
            return LockFile.ParseEntry(name, asManifest);
        }
        catch (DsrsException e)
        {
            throw new DsrsException(e.Code, e.Message.Replace("manifests." + name, "datasets." + name, StringComparison.Ordinal).Replace(".compiled_id", "." + IdMember, StringComparison.Ordinal), e);
        }
    }

    public static JsonObject ToJson(SortedDictionary<string, LockEntry> datasets)
    {
        var result = new JsonObject();
        foreach (var (name, entry) in datasets)
        {
            var json = new JsonObject();
            foreach (var member in LockFile.EntryJson(name, entry).Members)
            {
                if (member.Key is "signature_name" or "accuracy")
                {
                    continue;
                }

                json.Add(member.Key == "compiled_id" ? IdMember : member.Key, member.Value);
            }

            result.Add(name, json);
        }

        return result;
    }
}
