using Coordinator.Domain.Fleet;
using Coordinator.Grains.Fleet;

namespace Coordinator.Grains.Tests.Fleet;

/// <summary>The reports the fleet judges: every cluster's but those it hides, looked up and listed alike.</summary>
public sealed class ReportsWithoutTests
{
    [Fact]
    public void Hidden_clusters_are_neither_found_nor_listed()
    {
        var reports = new Dictionary<string, ClusterProgress>(StringComparer.Ordinal)
        {
            ["a"] = new() { Exists = true, Phase = "Healthy" },
            ["b"] = new() { Exists = true, Phase = "Progressing" },
            ["c"] = new() { Exists = true, Phase = "Degraded" },
        };
        var starting = new HashSet<string>(StringComparer.Ordinal) { "b" };

        var view = new ReportsWithout(reports, starting.Contains);

        Assert.Equal("Healthy", view.GetValueOrDefault("a")?.Phase);
        Assert.Null(view.GetValueOrDefault("b"));
        Assert.False(view.ContainsKey("b"));
        Assert.Equal(["a", "c"], view.Keys.Order());
        Assert.Equal(2, view.Count);
        Assert.Throws<KeyNotFoundException>(() => view["b"]);

        starting.Remove("b"); // a view, not a copy: the start landed
        Assert.Equal("Progressing", view["b"].Phase);
    }
}
