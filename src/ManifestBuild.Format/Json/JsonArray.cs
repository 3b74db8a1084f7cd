using System;
using System.Collections;
using System.Collections.Generic;

namespace ManifestBuild.Format.Json
{
    /// <summary>A JSON array.</summary>
    public sealed class JsonArray : JsonValue, IReadOnlyList<JsonValue>
    {
        private readonly List<JsonValue> items = new List<JsonValue>();

        public JsonArray()
        {
        }

        public JsonArray(IEnumerable<JsonValue> values)
        {
            foreach (var value in values)
            {
                Add(value);
            }
        }

        public override JsonValueKind Kind => JsonValueKind.Array;

        public int Count => items.Count;

        public JsonValue this[int index]
        {
            get => items[index];
            set => items[index] = value ?? throw new ArgumentNullException(nameof(value));
        }

        public JsonArray Add(JsonValue value)
        {
            items.Add(value ?? throw new ArgumentNullException(nameof(value)));
            return this;
        }

        public JsonArray Add(string value) => Add(new JsonString(value));

        public void Insert(int index, JsonValue value) => items.Insert(index, value ?? throw new ArgumentNullException(nameof(value)));

        public void RemoveAt(int index) => items.RemoveAt(index);

        /// <summary>An array of strings.</summary>
        public static JsonArray OfStrings(IEnumerable<string> values)
        {
            var array = new JsonArray();
            foreach (var value in values)
            {
                array.Add(new JsonString(value));
            }

            return array;
        }

        public override bool DeepEquals(JsonValue? other)
        {
            if (!(other is JsonArray a) || a.Count != Count)
            {
                return false;
            }

            for (var i = 0; i < items.Count; i++)
            {
                if (!items[i].DeepEquals(a.items[i]))
                {
                    return false;
                }
            }

            return true;
        }

        public override JsonValue DeepClone()
        {
            var copy = new JsonArray();
            foreach (var item in items)
            {
                copy.Add(item.DeepClone());
            }

            return copy;
        }

        public IEnumerator<JsonValue> GetEnumerator() => items.GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
