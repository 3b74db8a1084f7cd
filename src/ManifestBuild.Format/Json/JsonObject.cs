using System;
using System.Collections;
using System.Collections.Generic;

namespace ManifestBuild.Format.Json
{
    /// <summary>
    /// A JSON object: members in insertion (document) order, names unique, lookup by name.
    /// </summary>
    public sealed class JsonObject : JsonValue, IEnumerable<KeyValuePair<string, JsonValue>>
    {
        private readonly List<KeyValuePair<string, JsonValue>> members = new List<KeyValuePair<string, JsonValue>>();
        private readonly Dictionary<string, JsonValue> byName = new Dictionary<string, JsonValue>(StringComparer.Ordinal);

        public override JsonValueKind Kind => JsonValueKind.Object;

        public int Count => members.Count;

        /// <summary>The members in document order.</summary>
        public IReadOnlyList<KeyValuePair<string, JsonValue>> Members => members;

        /// <summary>The member names in document order.</summary>
        public IEnumerable<string> Names
        {
            get
            {
                foreach (var member in members)
                {
                    yield return member.Key;
                }
            }
        }

        /// <summary>Gets a member (null when absent); setting replaces in place or appends.</summary>
        public JsonValue? this[string name]
        {
            get => byName.TryGetValue(name, out var value) ? value : null;
            set
            {
                if (value is null)
                {
                    Remove(name);
                }
                else
                {
                    Set(name, value);
                }
            }
        }

        /// <summary>Appends a member; a name already present is refused (DSRS0103).</summary>
        public JsonObject Add(string name, JsonValue value)
        {
            if (name is null)
            {
                throw new ArgumentNullException(nameof(name));
            }

            if (value is null)
            {
                throw new ArgumentNullException(nameof(value));
            }

            if (byName.ContainsKey(name))
            {
                throw new DsrsException(FormatErrorCodes.DuplicateMember, "duplicate member name " + JsonStringEscaper.Escape(name) + " in a JSON object");
            }

            byName.Add(name, value);
            members.Add(new KeyValuePair<string, JsonValue>(name, value));
            return this;
        }

        public JsonObject Add(string name, string value) => Add(name, new JsonString(value));

        public JsonObject Add(string name, long value) => Add(name, new JsonNumber(value));

        public JsonObject Add(string name, double value) => Add(name, new JsonNumber(value));

        public JsonObject Add(string name, bool value) => Add(name, JsonBool.From(value));

        /// <summary>Replaces a member's value where it stands, or appends it when absent.</summary>
        public JsonObject Set(string name, JsonValue value)
        {
            if (value is null)
            {
                throw new ArgumentNullException(nameof(value));
            }

            if (!byName.ContainsKey(name))
            {
                return Add(name, value);
            }

            byName[name] = value;
            for (var i = 0; i < members.Count; i++)
            {
                if (string.Equals(members[i].Key, name, StringComparison.Ordinal))
                {
                    members[i] = new KeyValuePair<string, JsonValue>(name, value);
                    break;
                }
            }

            return this;
        }

        /// <summary>Removes a member; false when it was absent.</summary>
        public bool Remove(string name)
        {
            if (!byName.Remove(name))
            {
                return false;
            }

            for (var i = 0; i < members.Count; i++)
            {
                if (string.Equals(members[i].Key, name, StringComparison.Ordinal))
                {
                    members.RemoveAt(i);
                    break;
                }
            }

            return true;
        }

        public bool ContainsKey(string name) => byName.ContainsKey(name);

        /// <summary>Looks a member up; value is null (and the result false) when absent.</summary>
        public bool TryGetValue(string name, out JsonValue value)
        {
            if (byName.TryGetValue(name, out var found))
            {
                value = found;
                return true;
            }

            value = null!;
            return false;
        }

        /// <summary>The member's string value, or null when absent or not a string.</summary>
        public string? GetString(string name) => this[name]?.AsString();

        public override bool DeepEquals(JsonValue? other)
        {
            if (!(other is JsonObject o) || o.Count != Count)
            {
                return false;
            }

            foreach (var member in members)
            {
                if (!o.byName.TryGetValue(member.Key, out var theirs) || !member.Value.DeepEquals(theirs))
                {
                    return false;
                }
            }

            return true;
        }

        public override JsonValue DeepClone() => CloneObject();

        /// <summary>A deep copy typed as an object.</summary>
        public JsonObject CloneObject()
        {
            var copy = new JsonObject();
            foreach (var member in members)
            {
                copy.Add(member.Key, member.Value.DeepClone());
            }

            return copy;
        }

        public IEnumerator<KeyValuePair<string, JsonValue>> GetEnumerator() => members.GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
