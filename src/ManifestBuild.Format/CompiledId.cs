using System;
using System.Security.Cryptography;
using System.Text;
using ManifestBuild.Format.Json;

namespace ManifestBuild.Format
{
    /// <summary>
    /// compiled_id (protocol §1): lowercase hex SHA-256 of the RFC 8785 canonical UTF-8 bytes of the
    /// manifest object without its <c>compiled_id</c> member. Linked into the generator (netstandard2.0).
    /// </summary>
    public static class CompiledId
    {
        public const string MemberName = "compiled_id";

        /// <summary>How to repair a missing or stale id, for every message that reports one.</summary>
        public const string FixHint = "`dsrs id --write <file>` stores the recomputed compiled_id in the file";

        /// <summary>Recomputes the id of a manifest object (the object itself is not modified).</summary>
        public static string Compute(JsonObject manifest)
        {
            if (manifest is null)
            {
                throw new ArgumentNullException(nameof(manifest));
            }

            var hashed = new JsonObject();
            foreach (var member in manifest.Members)
            {
                if (!string.Equals(member.Key, MemberName, StringComparison.Ordinal))
                {
                    hashed.Add(member.Key, member.Value);
                }
            }

            return Sha256Hex(JsonCanonicalizer.CanonicalizeToUtf8(hashed));
        }

        /// <summary>True when the text is 64 lowercase hex digits.</summary>
        public static bool IsWellFormed(string? id) => Hex.IsLowerHex(id, 32);

        /// <summary>
        /// Checks the stated compiled_id against the recomputed one; throws DSRS0104 naming both when
        /// they differ or the member is missing. Returns the id.
        /// </summary>
        public static string Verify(JsonObject manifest)
        {
            var computed = Compute(manifest);
            var stated = manifest.GetString(MemberName);
            if (stated is null)
            {
                throw new DsrsException(FormatErrorCodes.CompiledIdMismatch, "the manifest has no compiled_id; recomputed " + computed + ". " + FixHint);
            }

            if (!string.Equals(stated, computed, StringComparison.Ordinal))
            {
                throw new DsrsException(FormatErrorCodes.CompiledIdMismatch, "compiled_id mismatch: stated " + stated + ", recomputed " + computed + ". If the content was edited on purpose, " + FixHint);
            }

            return computed;
        }

        /// <summary>Lowercase hex SHA-256 of bytes.</summary>
        public static string Sha256Hex(byte[] data)
        {
            byte[] hash;
            using (var sha = SHA256.Create())
            {
                hash = sha.ComputeHash(data);
            }

            return Hex.Encode(hash);
        }

        /// <summary>Lowercase hex SHA-256 of a string's UTF-8 bytes.</summary>
        public static string Sha256Hex(string text) => Sha256Hex(new UTF8Encoding(false, true).GetBytes(text));
    }
}
