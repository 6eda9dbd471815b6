using System.Net;
using System.Net.Sockets;

namespace Coordinator.Silo.Tests;

/// <summary>Orleans needs concrete silo and gateway ports (Kestrel's endpoints take 0 and report the bound port).</summary>
internal static class SiloPorts
{
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
