using System.Net;
using System.Net.Sockets;

namespace ManifestBuild.TestSupport;

/// <summary>Loopback-only networking helpers: tests never bind or dial anything else.</summary>
public static class Loopback
{
    /// <summary>A port that was free on 127.0.0.1 a moment ago (the OS picks it).</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>A port on 127.0.0.1 on which nothing listens: connecting is refused at once.</summary>
    public static int ClosedPort() => FreePort();
}
