using System;

namespace ManifestBuild.Format.Json
{
    /// <summary>The six kinds of JSON value.</summary>
    public enum JsonValueKind
    {
        Object,
        Array,
        String,
        Number,
        Bool,
        Null,
    }

    /// <summary>
    /// A node of the JSON document model. Objects keep their members in document order so a file
    /// saved after editing differs only where it was edited; canonical form sorts them instead.
    /// </summary>
    public abstract class JsonValue
    {
        public abstract JsonValueKind Kind { get; }

        /// <summary>Structural equality: same kinds, same strings, numbers equal as doubles, objects equal as maps.</summary>
        public abstract bool DeepEquals(JsonValue? other);

        /// <summary>An independent copy (mutating it never affects this value).</summary>
        public abstract JsonValue DeepClone();

        public static bool DeepEquals(JsonValue? left, JsonValue? right)
        {
            if (left is null || right is null)
            {
                return left is null && right is null;
            }

            return left.DeepEquals(right);
        }

        /// <summary>This value as an object, or null when it is something else.</summary>
        public JsonObject? AsObject() => this as JsonObject;

        /// <summary>This value as an array, or null when it is something else.</summary>
        public JsonArray? AsArray() => this as JsonArray;

        /// <summary>The string's value, or null when this is not a string.</summary>
        public string? AsString() => (this as JsonString)?.Value;

        /// <summary>Compact JSON text (document order, not canonical).</summary>
        public override string ToString() => JsonWriter.Write(this, false);

        public override bool Equals(object? obj) => ReferenceEquals(this, obj);

        public override int GetHashCode() => base.GetHashCode();

        internal static string KindName(JsonValueKind kind)
        {
            switch (kind)
            {
                case JsonValueKind.Object: return "an object";
                case JsonValueKind.Array: return "an array";
                case JsonValueKind.String: return "a string";
                case JsonValueKind.Number: return "a number";
                case JsonValueKind.Bool: return "a boolean";
                default: return "null";
            }
        }

        /// <summary>"an object", "a string", ... for error messages.</summary>
        public string KindName() => KindName(Kind);

        internal static Exception Unreachable() => new InvalidOperationException("unreachable");
    }
}
