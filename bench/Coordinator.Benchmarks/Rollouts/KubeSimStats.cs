using System.Net.Http.Json;
using System.Text.Json;

namespace Coordinator.Benchmarks.Rollouts;

/// <summary>KubeSim's own counters (<c>GET /_kubesim/stats</c>): the watch streams open on it, by resource.</summary>
internal sealed record KubeSimStats(int OpenWatches, IReadOnlyDictionary<string, int> OpenWatchesByResource)
{
    public static async Task<KubeSimStats> ReadAsync(string baseUrl)
    {
        using var http = new HttpClient { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromSeconds(30) };
        var stats = await http.GetFromJsonAsync<JsonElement>("/_kubesim/stats");
        var byResource = stats.GetProperty("openWatchesByResource").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt32());
        return new KubeSimStats(stats.GetProperty("openWatches").GetInt32(), byResource);
    }
}
