using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ManifestBuild.Format;

namespace ManifestBuild.Lightning.Nodes;

/// <summary>
/// A TLS certificate pin: the node's own (usually self-signed) certificate, given by SHA-256
/// thumbprint or by its file. A pinned connection accepts exactly that certificate, whatever its
/// issuer or host name, and nothing else.
/// </summary>
public sealed class CertificatePin
{
    private readonly byte[][] acceptedHashes;

    private CertificatePin(byte[][] acceptedHashes) => this.acceptedHashes = acceptedHashes;

    /// <summary>From a SHA-256 thumbprint in hex (colons allowed).</summary>
    public static CertificatePin FromThumbprint(string hex) =>
        new([Convert.FromHexString(hex.Replace(":", string.Empty, StringComparison.Ordinal))]);

    /// <summary>From a certificate file: PEM (one or more certificates, as LND's tls.cert) or DER.</summary>
    public static CertificatePin FromFile(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            throw new DsrsException(NodeErrorCodes.UnreadableFile, $"the certificate file given by 'certfilepath' ({path}) cannot be read: {e.GetType().Name}");
        }

        try
        {
            var text = System.Text.Encoding.ASCII.GetString(bytes);
            if (text.Contains("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal))
            {
                var collection = new X509Certificate2Collection();
                collection.ImportFromPem(text);
                if (collection.Count == 0)
                {
                    throw new CryptographicException("no certificate in PEM");
                }

                return new([.. collection.Select(c => SHA256.HashData(c.RawData))]);
            }

            using var certificate = new X509Certificate2(bytes);
            return new([SHA256.HashData(certificate.RawData)]);
        }
        catch (CryptographicException)
        {
            throw new DsrsException(NodeErrorCodes.UnreadableFile, $"the file given by 'certfilepath' ({path}) holds no X.509 certificate (PEM or DER)");
        }
    }

    /// <summary>The pin from a connection's certthumbprint/certfilepath, or null when it has neither.</summary>
    public static CertificatePin? FromConnection(NodeConnection connection)
    {
        if (connection.Get("certthumbprint") is { } thumbprint)
        {
            return FromThumbprint(thumbprint);
        }

        return connection.Get("certfilepath") is { } path ? FromFile(path) : null;
    }

    /// <summary>True when the presented certificate is the pinned one.</summary>
    public bool Matches(X509Certificate? certificate)
    {
        if (certificate is null)
        {
            return false;
        }

        var hash = SHA256.HashData(certificate.GetRawCertData());
        return acceptedHashes.Any(accepted => CryptographicOperations.FixedTimeEquals(accepted, hash));
    }
}
