using System.Security.Cryptography;
using ManifestBuild.Format;
using ManifestBuild.Format.Json;
using Microsoft.Extensions.AI;

namespace ManifestBuild.Evaluation.Running;

/// <summary>
/// The model's replies by (model, prompt): <c>$DSRS_HOME/eval-cache/&lt;key&gt;.json</c>, where the key is the
/// SHA-256 of the canonical JSON of the model id, the messages and the sampling options. A re-run of the
/// same evaluation sends nothing, and a cancelled run resumes where it stopped: every answer that arrived
/// before the cancel is here. An entry that does not read back is a miss, never an answer.
/// </summary>
public sealed class ResponseCache
{
    public const string FolderName = "eval-cache";

    public ResponseCache(string directory)
    {
        Directory = Path.GetFullPath(directory);
    }

    public string Directory { get; }

    public static ResponseCache ForHome(string home) => new(Path.Combine(home, FolderName));

    public static string Key(string modelId, IReadOnlyList<ChatMessage> messages, ChatOptions? options)
    {
        var json = new JsonObject()
            .Add("model", modelId)
            .Add("messages", new JsonArray(messages.Select(m => (JsonValue)new JsonObject().Add("role", m.Role.Value).Add("content", m.Text))));
        if (options?.Temperature is { } temperature)
        {
            json.Add("temperature", temperature);
        }

        if (options?.MaxOutputTokens is { } maxTokens)
        {
            json.Add("max_tokens", maxTokens);
        }

        if (options?.Seed is { } seed)
        {
            json.Add("seed", seed);
        }

        return Hex.Encode(SHA256.HashData(JsonCanonicalizer.CanonicalizeToUtf8(json)));
    }

    public bool TryGet(string key, out string reply)
    {
        reply = string.Empty;
        var path = PathOf(key);
        if (!File.Exists(path))
        {
            return false;
        }

        try
        {
            if (JsonParser.Parse(File.ReadAllText(path)) is JsonObject entry && entry.GetString("reply") is { } text)
            {
                reply = text;
                return true;
            }
        }
        catch (Exception e) when (e is DsrsException or IOException or UnauthorizedAccessException)
        {
            // Unreadable: ask the model again and overwrite it.
        }

        return false;
    }

    public void Put(string key, string modelId, string reply)
    {
        System.IO.Directory.CreateDirectory(Directory);
        AtomicFile.WriteAllText(PathOf(key), JsonWriter.WriteFile(new JsonObject().Add("model", modelId).Add("reply", reply)));
    }

    private string PathOf(string key) =>
        // A key has a compiled_id's shape (64 lowercase hex), so it can never name a path outside the folder.
        CompiledId.IsWellFormed(key) ? Path.Combine(Directory, key + ".json") : throw new ArgumentException("a cache key is 64 lowercase hex", nameof(key));
}
