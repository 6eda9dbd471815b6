using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;

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

    /// <summary>
    /// Builds the silo host with <c>--silo-port</c> and <c>--gateway-port</c> set to free ports and starts it. A port
    /// found free can be taken before Orleans binds it (any outgoing loopback connection of the tests beside this one
    /// may get it as its ephemeral port); the host is then built again on other ports.
    /// </summary>
    public static async Task<WebApplication> StartOnFreePortsAsync(Func<string[], Task<WebApplication>> build)
    {
        for (var attempt = 1; ; attempt++)
        {
            var app = await build(["--silo-port", Free().ToString(), "--gateway-port", Free().ToString()]);
            try
            {
                await app.StartAsync();
                return app;
            }
            catch (AddressInUseException) when (attempt < 5)
            {
                await app.StopAsync();
                await app.DisposeAsync();
            }
        }
    }
}
