using System.Net;
using System.Net.Sockets;

namespace ManifestBuild.Seller;

/// <summary>
/// The key a client is budgeted under: an IPv4 address, or the /64 of an IPv6 address (one host
/// commonly holds a whole /64, so counting single IPv6 addresses would budget nothing).
/// </summary>
internal static class ClientAddress
{
    public static IPAddress Key(IPAddress? address)
    {
        if (address is null)
        {
            return IPAddress.None;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address;
        }

        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes);
    }
}
