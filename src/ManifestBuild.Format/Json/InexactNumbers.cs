using System.Collections.Generic;
using System.Globalization;

namespace ManifestBuild.Format.Json
{
    /// <summary>
    /// Finds the numbers of a document whose text says more than a double keeps (see
    /// <see cref="JsonNumber.IsExact"/>). Shared by the manifest validator and the generator, so a manifest
    /// that two readers would read differently under one compiled_id is refused on both paths.
    /// </summary>
    public static class InexactNumbers
    {
        /// <summary>The paths (<c>demos[0].inputs.n</c>) and texts of every inexact number, in document order.</summary>
        public static IReadOnlyList<KeyValuePair<string, string>> Find(JsonValue root)
        {
            var found = new List<KeyValuePair<string, string>>();
            Walk(root, string.Empty, found);
            return found;
        }

        private static void Walk(JsonValue value, string path, List<KeyValuePair<string, string>> found)
        {
            switch (value)
            {
                case JsonNumber number when !number.IsExact:
                    found.Add(new KeyValuePair<string, string>(path.Length == 0 ? "(top level)" : path, number.Text));
                    break;
                case JsonObject obj:
                    foreach (var member in obj.Members)
                    {
                        Walk(member.Value, path.Length == 0 ? member.Key : path + "." + member.Key, found);
                    }

                    break;
                case JsonArray array:
                    for (var i = 0; i < array.Count; i++)
                    {
                        Walk(array[i], path + "[" + i.ToString(CultureInfo.InvariantCulture) + "]", found);
                    }

                    break;
            }
        }
    }
}
