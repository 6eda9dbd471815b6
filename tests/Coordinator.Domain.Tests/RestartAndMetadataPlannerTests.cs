using System.Collections.Immutable;
using Coordinator.Domain.Actions;
using Coordinator.Domain.Manifest;
using Coordinator.Domain.Observation;
using Coordinator.Domain.Planning;
using Coordinator.Domain.State;
using Coordinator.Domain.Tests.Support;

namespace Coordinator.Domain.Tests;

/// <summary>The planner's side of <c>restartAt</c> (Argo's pod restarter) and of canaryMetadata / stableMetadata.</summary>
public sealed class RestartAndMetadataPlannerTests
{
    private static readonly DateTimeOffset RestartAt = Fixtures.T0.AddHours(1);

    private static RolloutDriver HealthyWithThreePods(string canaryLines = "")
    {
        var yaml = Fixtures.SeedYaml.Replace("  replicas: 1", "  replicas: 3")
            .Replace("spec:\n", $"spec:\n  restartAt: \"2024-05-01T11:00:00Z\"\n")
            .Replace("    canary:\n", "    canary:\n" + canaryLines);
        var driver = new RolloutDriver(RolloutManifest.Parse(yaml).Spec);
        driver.Cluster.WithOwner();
        driver.Settle();
        return driver;
    }

    private static ObservedPod Pod(string name, string rs, DateTimeOffset created, bool ready = true, bool terminating = false) => new()
    {
        Name = name,
        PodTemplateHash = rs[(rs.LastIndexOf('-') + 1)..],
        OwnerReplicaSet = rs,
        CreationTimestamp = created,
        ReadySince = ready ? created : null,
        Terminating = terminating,
    };

    private static Decision Decide(RolloutDriver driver, params ObservedPod[] pods) =>
        RolloutPlanner.Decide(driver.Spec, driver.Status, driver.Cluster.Observe() with { Pods = pods }, driver.Now);

    private static List<string> Evicted(Decision decision) => [.. decision.Actions.OfType<EvictPod>().Select(e => e.Name)];

    [Fact]
    public void Before_restartAt_nothing_is_restarted_and_the_planner_wakes_at_restartAt()
    {
        var driver = HealthyWithThreePods();
        Assert.Equal(RestartAt, driver.Spec.RestartAt);
        Assert.False(RolloutRestart.NeedsPods(driver.Spec, driver.Status, driver.Now));

        var decision = RolloutPlanner.Decide(driver.Spec, driver.Status, driver.Cluster.Observe(), driver.Now);

        Assert.Empty(Evicted(decision));
        Assert.Equal(RestartAt, decision.WakeAt);
    }

    [Fact]
    public void Old_pods_are_evicted_one_at_a_time_under_maxUnavailable_and_restartedAt_is_set_when_none_is_left()
    {
        var driver = HealthyWithThreePods();
        var rs = driver.Cluster.ReplicaSets.Single().Name;
        driver.Now = RestartAt.AddSeconds(5);
        Assert.True(RolloutRestart.NeedsPods(driver.Spec, driver.Status, driver.Now));
        var old = Fixtures.T0;

        // maxUnavailable 25% of 3 is 0 (maxSurge rounds up to 1): one pod at a time, the oldest first.
        var first = Decide(driver, Pod("b", rs, old.AddSeconds(1)), Pod("a", rs, old), Pod("c", rs, old.AddSeconds(2)));
        Assert.Equal(["a"], Evicted(first));
        Assert.Null(first.NewStatus.RestartedAt);
        Assert.Equal(driver.Now + RolloutRestart.PodCheckInterval, first.WakeAt);

        // The evicted pod terminating and its replacement not Ready yet: nothing more may go down.
        var waiting = Decide(driver, Pod("a", rs, old, terminating: true), Pod("b", rs, old.AddSeconds(1)), Pod("c", rs, old.AddSeconds(2)),
            Pod("d", rs, driver.Now, ready: false));
        Assert.Empty(Evicted(waiting));
        Assert.Null(waiting.NewStatus.RestartedAt);

        // The last old pod evicted: Argo records the restart in the same pass.
        var last = Decide(driver, Pod("c", rs, old.AddSeconds(2)), Pod("d", rs, driver.Now), Pod("e", rs, driver.Now));
        Assert.Equal(["c"], Evicted(last));
        Assert.Equal(RestartAt, last.NewStatus.RestartedAt);
        Assert.False(RolloutRestart.NeedsPods(driver.Spec, last.NewStatus, driver.Now));
    }

    [Fact]
    public void A_larger_maxUnavailable_restarts_that_many_pods_at_once_and_pods_of_other_owners_are_left_alone()
    {
        var driver = HealthyWithThreePods("      maxUnavailable: 2\n");
        var rs = driver.Cluster.ReplicaSets.Single().Name;
        driver.Now = RestartAt.AddSeconds(5);

        var decision = Decide(driver, Pod("a", rs, Fixtures.T0), Pod("b", rs, Fixtures.T0), Pod("c", rs, Fixtures.T0),
            Pod("deployment-pod", "rollouts-demo-deploy", Fixtures.T0));

        Assert.Equal(["a", "b"], Evicted(decision));
        Assert.Null(decision.NewStatus.RestartedAt);
    }

    [Fact]
    public void Without_observed_pods_nothing_is_restarted_or_recorded()
    {
        var driver = HealthyWithThreePods();
        driver.Now = RestartAt.AddSeconds(5);

        var decision = RolloutPlanner.Decide(driver.Spec, driver.Status, driver.Cluster.Observe(), driver.Now);

        Assert.Empty(Evicted(decision));
        Assert.Null(decision.NewStatus.RestartedAt);
    }

    [Fact]
    public void Metadata_goes_on_the_first_revision_as_stable_then_canary_on_the_update_and_switches_at_promotion()
    {
        var spec = RolloutManifest.Parse(Fixtures.SeedYaml.Replace("    canary:\n",
            "    canary:\n      canaryMetadata: { labels: { role: canary } }\n      stableMetadata: { labels: { role: stable } }\n")).Spec;
        var driver = new RolloutDriver(spec);
        driver.Cluster.WithOwner();
        driver.Settle();
        var v1 = driver.Cluster.ReplicaSets.Single();
        Assert.Equal("stable", v1.Template["metadata"]!["labels"]!["role"]!.GetValue<string>());
        Assert.Equal("{\"labels\":{\"role\":\"stable\"}}", v1.EphemeralMetadata);
        Assert.DoesNotContain(driver.TakeLog(), l => l.StartsWith("metadata ", StringComparison.Ordinal)); // created with it

        driver.Cluster.DeploymentTemplate = Fixtures.Template("yellow");
        driver.Settle();
        var v2 = driver.Cluster.ReplicaSets.Single(r => r != v1);
        Assert.Equal("canary", v2.Template["metadata"]!["labels"]!["role"]!.GetValue<string>());

        driver.TakeLog();
        var promoted = RolloutCommands.PromoteFull(driver.Spec, driver.Status);
        (driver.Spec, driver.Status) = (promoted.Spec, promoted.Status);
        driver.Settle();
        while (driver.Last?.WakeAt is not null && driver.Cluster.ReplicaSets.Count(r => r.Replicas > 0) > 1) driver.AdvanceToWake();

        Assert.Equal("stable", v2.Template["metadata"]!["labels"]!["role"]!.GetValue<string>());
        Assert.Contains($"metadata {v2.Name} {{\"labels\":{{\"role\":\"canary\"}}}}->{{\"labels\":{{\"role\":\"stable\"}}}}", driver.Log);
        Assert.Contains($"metadata {v1.Name} {{\"labels\":{{\"role\":\"stable\"}}}}->{{}}", driver.Log);
        Assert.Null(v1.Template["metadata"]!["labels"]!["role"]);
        Assert.Null(v1.EphemeralMetadata);
    }

    [Fact]
    public void Undo_writes_back_the_revision_template_without_its_ephemeral_metadata()
    {
        var spec = RolloutManifest.Parse(Fixtures.SeedYaml.Replace("    canary:\n",
            "    canary:\n      canaryMetadata: { labels: { role: canary } }\n      stableMetadata: { labels: { role: stable }, annotations: { note: s } }\n")).Spec;
        var driver = new RolloutDriver(spec);
        driver.Cluster.WithOwner();
        driver.Settle();
        var blue = (System.Text.Json.Nodes.JsonObject)driver.Cluster.DeploymentTemplate.DeepClone();
        driver.Cluster.DeploymentTemplate = Fixtures.Template("yellow");
        driver.Settle();

        var undo = RolloutCommands.Undo(driver.Cluster.Observe(), driver.Status, toRevision: null);

        var written = Assert.IsType<WriteDeploymentTemplate>(undo.Action).Template;
        Assert.True(ReplicaSetTemplates.AreEquivalent(blue, written), written.ToJsonString());
        Assert.Null(written["metadata"]!["labels"]!["role"]);
        Assert.Null(written["metadata"]!["annotations"]?["note"]);
    }

    [Fact]
    public void The_ephemeral_metadata_annotation_is_what_go_json_marshal_writes_and_reads_back()
    {
        var metadata = new PodTemplateMetadata
        {
            Labels = new Dictionary<string, string> { ["z"] = "1", ["a"] = "2" }.ToImmutableDictionary(),
            Annotations = new Dictionary<string, string> { ["note"] = "x" }.ToImmutableDictionary(),
        };

        var text = EphemeralMetadata.Format(metadata);

        Assert.Equal("{\"labels\":{\"a\":\"2\",\"z\":\"1\"},\"annotations\":{\"note\":\"x\"}}", text);
        Assert.True(EphemeralMetadata.Parse(text).SameAs(metadata));
        Assert.True(EphemeralMetadata.Parse("not json").IsEmpty);
        var (labels, annotations, changed) = EphemeralMetadata.Apply(
            new Dictionary<string, string> { ["app"] = "demo", ["z"] = "1", ["a"] = "2" }, new Dictionary<string, string> { ["note"] = "x" },
            metadata, new PodTemplateMetadata { Labels = new Dictionary<string, string> { ["a"] = "3" }.ToImmutableDictionary() });
        Assert.True(changed);
        Assert.Equal(new Dictionary<string, string> { ["app"] = "demo", ["a"] = "3" }, labels);
        Assert.Empty(annotations);
    }
}
