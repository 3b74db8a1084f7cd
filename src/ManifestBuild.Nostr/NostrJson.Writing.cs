using System.Globalization;
using System.Text;

namespace ManifestBuild.Nostr;

public static partial class NostrJson
{
    private static void AppendEvent(StringBuilder b, NostrEvent e)
    {
        b.Append("{\"id\":");
        JsStringEscaper.AppendQuoted(b, e.Id);
        b.Append(",\"pubkey\":");
        JsStringEscaper.AppendQuoted(b, e.PubKey);
        b.Append(",\"created_at\":").Append(e.CreatedAt.ToString(CultureInfo.InvariantCulture));
        b.Append(",\"kind\":").Append(e.Kind.ToString(CultureInfo.InvariantCulture));
        b.Append(",\"tags\":[");
        for (var i = 0; i < e.Tags.Count; i++)
        {
            if (i > 0)
            {
                b.Append(',');
            }

            AppendStringArray(b, e.Tags[i]);
        }

        b.Append("],\"content\":");
        JsStringEscaper.AppendQuoted(b, e.Content);
        b.Append(",\"sig\":");
        JsStringEscaper.AppendQuoted(b, e.Sig);
        b.Append('}');
    }

    private static void AppendFilter(StringBuilder b, NostrFilter f)
    {
        b.Append('{');
        var first = true;
        void Name(string name)
        {
            if (!first)
            {
                b.Append(',');
            }

            first = false;
            JsStringEscaper.AppendQuoted(b, name);
            b.Append(':');
        }

        if (f.Ids is not null)
        {
            Name("ids");
            AppendStringArray(b, f.Ids);
        }

        if (f.Authors is not null)
        {
            Name("authors");
            AppendStringArray(b, f.Authors);
        }

        if (f.Kinds is not null)
        {
            Name("kinds");
            b.Append('[').AppendJoin(',', f.Kinds.Select(k => k.ToString(CultureInfo.InvariantCulture))).Append(']');
        }

        foreach (var (name, values) in f.Tags.OrderBy(t => t.Key, StringComparer.Ordinal))
        {
            Name("#" + name);
            AppendStringArray(b, values);
        }

        if (f.Since is { } since)
        {
            Name("since");
            b.Append(since.ToString(CultureInfo.InvariantCulture));
        }

        if (f.Until is { } until)
        {
            Name("until");
            b.Append(until.ToString(CultureInfo.InvariantCulture));
        }

        if (f.Limit is { } limit)
        {
            Name("limit");
            b.Append(limit.ToString(CultureInfo.InvariantCulture));
        }

        b.Append('}');
    }

    private static void AppendStringArray(StringBuilder b, IReadOnlyList<string> values)
    {
        b.Append('[');
        for (var i = 0; i < values.Count; i++)
        {
            if (i > 0)
            {
                b.Append(',');
            }

            JsStringEscaper.AppendQuoted(b, values[i]);
        }

        b.Append(']');
    }
}
