using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Text.Json;
using ManifestBuild.Format;

namespace ManifestBuild.Cli.Presenters;

/// <summary>How `dsrs inspect` shows the manifests baked into an assembly, as a table or JSON.</summary>
internal static class InspectPresenter
{
    /// <summary>The baked manifests as a JSON array, or one aligned line each (name, signature, compiled_id).</summary>
    public static async Task WriteAsync(TextWriter output, string fileName, IReadOnlyList<InspectCommands.BakedManifest> manifests, bool json, CancellationToken ct)
    {
        if (json)
        {
            await output.WriteLineAsync(InspectJson(manifests).AsMemory(), ct);
        }
        else if (manifests.Count == 0)
        {
            await output.WriteLineAsync($"{fileName}: no manifests");
        }
        else
        {
            var width = manifests.Max(m => m.Name.Length);
            var signatureWidth = manifests.Max(m => m.SignatureName.Length);
            foreach (var m in manifests)
            {
                await output.WriteLineAsync($"{m.Name.PadRight(width)}  {m.SignatureName.PadRight(signatureWidth)}  {m.CompiledId}");
            }
        }
    }

    private static string InspectJson(IReadOnlyList<InspectCommands.BakedManifest> manifests)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartArray();
            foreach (var m in manifests)
            {
                writer.WriteStartObject();
                writer.WriteString("name", m.Name);
                writer.WriteString("signature_name", m.SignatureName);
                writer.WriteString("compiled_id", m.CompiledId);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray()).Replace("\r\n", "\n");
    }
}
