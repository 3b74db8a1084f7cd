using System;

namespace ManifestBuild.Format
{
    /// <summary>
    /// The one hex helper. Writes lowercase, as Nostr, compiled_id and the lockfile do. Linked into the
    /// generator (netstandard2.0), so the span overloads exist only where the framework has spans.
    /// </summary>
    public static class Hex
    {
        private const string Digits = "0123456789abcdef";

        public static string Encode(byte[] bytes)
        {
            if (bytes is null)
            {
                throw new ArgumentNullException(nameof(bytes));
            }

            var chars = new char[bytes.Length * 2];
            for (var i = 0; i < bytes.Length; i++)
            {
                chars[i * 2] = Digits[bytes[i] >> 4];
                chars[(i * 2) + 1] = Digits[bytes[i] & 0xF];
            }

            return new string(chars);
        }

        /// <summary>True when <paramref name="value"/> is exactly <paramref name="byteLength"/> bytes of lowercase hex (the NIP-01 and compiled_id form).</summary>
        public static bool IsLowerHex(string? value, int byteLength) => IsHex(value, byteLength, upperAllowed: false);

        /// <summary>True when <paramref name="value"/> is exactly <paramref name="byteLength"/> bytes of hex of either case (user input, node APIs).</summary>
        public static bool IsHex(string? value, int byteLength) => IsHex(value, byteLength, upperAllowed: true);

        /// <summary>True when <paramref name="value"/> is a non-empty, even-length run of hex digits of either case.</summary>
        public static bool IsHexBytes(string? value) =>
            value is { Length: > 0 } && value.Length % 2 == 0 && IsHex(value, value.Length / 2, upperAllowed: true);

        /// <summary>The bytes of hex of either case, or null on any non-hex character or an odd length.</summary>
        public static byte[]? TryDecode(string? hex)
        {
            if (hex is null || hex.Length % 2 != 0)
            {
                return null;
            }

            var bytes = new byte[hex.Length / 2];
            for (var i = 0; i < bytes.Length; i++)
            {
                var hi = Nibble(hex[i * 2]);
                var lo = Nibble(hex[(i * 2) + 1]);
                if ((hi | lo) < 0)
                {
                    return null;
                }

                bytes[i] = (byte)((hi << 4) | lo);
            }

            return bytes;
        }

        /// <summary>The bytes of exactly <paramref name="byteLength"/> bytes of hex, or null.</summary>
        public static byte[]? TryDecode(string? hex, int byteLength) =>
            hex is not null && hex.Length == byteLength * 2 ? TryDecode(hex) : null;

#if !NETSTANDARD2_0
        public static string Encode(ReadOnlySpan<byte> bytes)
        {
            if (bytes.Length == 0)
            {
                return string.Empty;
            }

            var chars = bytes.Length <= 256 ? stackalloc char[bytes.Length * 2] : new char[bytes.Length * 2];
            for (var i = 0; i < bytes.Length; i++)
            {
                chars[i * 2] = Digits[bytes[i] >> 4];
                chars[(i * 2) + 1] = Digits[bytes[i] & 0xF];
            }

            return new string(chars);
        }

        /// <summary>Decodes hex of either case into <paramref name="destination"/>; false on any non-hex char or wrong length.</summary>
        public static bool TryDecode(ReadOnlySpan<char> hex, Span<byte> destination)
        {
            if (hex.Length != destination.Length * 2)
            {
                return false;
            }

            for (var i = 0; i < destination.Length; i++)
            {
                var hi = Nibble(hex[i * 2]);
                var lo = Nibble(hex[(i * 2) + 1]);
                if ((hi | lo) < 0)
                {
                    return false;
                }

                destination[i] = (byte)((hi << 4) | lo);
            }

            return true;
        }
#endif

        private static bool IsHex(string? value, int byteLength, bool upperAllowed)
        {
            if (value is null || value.Length != byteLength * 2)
            {
                return false;
            }

            foreach (var c in value)
            {
                var ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (upperAllowed && c >= 'A' && c <= 'F');
                if (!ok)
                {
                    return false;
                }
            }

            return true;
        }

        private static int Nibble(char c) =>
            c >= '0' && c <= '9' ? c - '0'
            : c >= 'a' && c <= 'f' ? c - 'a' + 10
            : c >= 'A' && c <= 'F' ? c - 'A' + 10
            : -1;
    }
}
