using System.Globalization;

namespace Coordinator.Benchmarks.Rollouts;

/// <summary>
/// The TCP sockets this process holds (Linux: the <c>socket:[inode]</c> links of /proc/self/fd matched against the
/// inodes of /proc/net/tcp and tcp6; zeros elsewhere): how many, how many listen, and how many are connected to a port.
/// </summary>
internal sealed record ProcessSockets(int Descriptors, int Tcp, int Listening, int ConnectedToPort)
{
    private const string ListenState = "0A";

    /// <param name="remotePort">Count the connections whose remote end is this port (e.g. KubeSim's).</param>
    public static ProcessSockets Measure(int remotePort)
    {
        const string fds = "/proc/self/fd";
        if (!Directory.Exists(fds)) return new ProcessSockets(0, 0, 0, 0);
        var descriptors = 0;
        var inodes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var fd in Directory.EnumerateFileSystemEntries(fds))
        {
            descriptors++;
            try
            {
                if (new FileInfo(fd).LinkTarget is { } target && target.StartsWith("socket:[", StringComparison.Ordinal))
                    inodes.Add(target["socket:[".Length..^1]);
            }
            catch (IOException)
            {
                // closed while listed
            }
        }
        int tcp = 0, listening = 0, toPort = 0;
        foreach (var table in (string[])["/proc/net/tcp", "/proc/net/tcp6"])
        {
            if (!File.Exists(table)) continue;
            // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode ...; addresses are HEXIP:HEXPORT.
            foreach (var line in File.ReadLines(table).Skip(1))
            {
                var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (f.Length < 10 || !inodes.Contains(f[9])) continue;
                tcp++;
                if (f[3] == ListenState) listening++;
                else if (int.Parse(f[2][(f[2].LastIndexOf(':') + 1)..], NumberStyles.HexNumber, CultureInfo.InvariantCulture) == remotePort) toPort++;
            }
        }
        return new ProcessSockets(descriptors, tcp, listening, toPort);
    }
}
