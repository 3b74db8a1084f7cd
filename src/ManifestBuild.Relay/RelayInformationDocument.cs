using System.Reflection;
using System.Text.Json;

namespace ManifestBuild.Relay;

/// <summary>The NIP-11 relay information document, with every enforced limit advertised.</summary>
internal static class RelayInformationDocument
{
    public const string MediaType = "application/nostr+json";

    public static byte[] Build(EmbeddedRelayOptions options)
    {
        var version = typeof(RelayInformationDocument).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0";
        var plus = version.IndexOf('+');
        if (plus >= 0)
        {
            version = version[..plus];
        }

        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            w.WriteString("name", options.Name);
            w.WriteString("description", options.Description);
            w.WriteStartArray("supported_nips");
            foreach (var nip in new[] { 1, 9, 11, 45 })
            {
                w.WriteNumberValue(nip);
            }

            w.WriteEndArray();
            w.WriteString("software", "ManifestBuild");
            w.WriteString("version", version);
            w.WriteStartObject("limitation");
            w.WriteNumber("max_message_length", options.MaxMessageBytes);
            w.WriteNumber("max_subscriptions", options.MaxSubscriptionsPerConnection);
            w.WriteNumber("max_filters", options.MaxFiltersPerRequest);
            w.WriteNumber("max_limit", options.MaxLimit);
            w.WriteNumber("default_limit", options.MaxLimit);
            w.WriteNumber("max_subid_length", options.MaxSubscriptionIdLength);
            w.WriteNumber("max_event_tags", options.MaxEventTags);
            w.WriteNumber("max_content_length", options.MaxContentLength);
            w.WriteNumber("min_pow_difficulty", 0);
            w.WriteBoolean("auth_required", false);
            w.WriteBoolean("payment_required", false);
            w.WriteBoolean("restricted_writes", false);
            w.WriteEndObject();
            w.WriteEndObject();
        }

        return stream.ToArray();
    }
}
