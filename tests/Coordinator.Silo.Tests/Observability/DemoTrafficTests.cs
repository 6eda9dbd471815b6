using Coordinator.Abstractions;
using Coordinator.Silo.Hosting;

namespace Coordinator.Silo.Tests.Observability;

/// <summary>A demo line's traffic comes from the same snapshot as its step and weight, so they cannot contradict each other.</summary>
public sealed class DemoTrafficTests
{
    private const string Blue = "argoproj/rollouts-demo:blue";
    private const string Yellow = "argoproj/rollouts-demo:yellow";

    [Theory]
    [InlineData("Progressing", "Paused", 4, 80, "blue 20 % yellow 80 %")]
    [InlineData("Progressing", "Paused", 0, 5, "blue 95 % yellow 5 %")]
    [InlineData("Pending", "Healthy", null, 0, "blue 100 %")]
    [InlineData("Healthy", "Healthy", null, 0, "yellow 100 %")]
    [InlineData("Progressing", "Progressing", 6, 100, "yellow 100 %")]
    public void A_fleet_line_shows_the_traffic_of_its_own_weight(string state, string phase, int? step, int weight, string traffic)
    {
        var cluster = new FleetClusterStatus { Cluster = "prod", State = state, RolloutPhase = phase, Step = step, StepCount = 7, Weight = weight };

        var line = DemoFleetPrinter.Line(DateTimeOffset.Now, "prod", cluster, DemoTraffic.Of(cluster, Blue, Yellow));

        Assert.EndsWith($"weight {weight,3}  traffic: {traffic}", line);
    }

    [Fact]
    public void A_rollout_line_gives_the_canary_image_its_weight_and_the_stable_image_the_rest()
    {
        var snapshot = new RolloutSnapshot
        {
            Key = new RolloutKey("dev", "test", "rollouts-demo"),
            Exists = true,
            ActualWeight = 20,
            ReplicaSets =
            [
                new ReplicaSetSummary { Hash = "a", Images = [Blue], Roles = ["stable"] },
                new ReplicaSetSummary { Hash = "b", Images = [Yellow], Roles = ["canary"] },
            ],
        };

        Assert.Equal("blue 80 % yellow 20 %", DemoTraffic.Of(snapshot));
        Assert.Equal("yellow 100 %", DemoTraffic.Of(snapshot with { ReplicaSets = [new ReplicaSetSummary { Images = [Yellow], Roles = ["stable", "canary"] }] }));
    }
}
