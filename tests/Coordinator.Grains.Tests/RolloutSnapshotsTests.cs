using System.Text.Json.Nodes;
using Coordinator.Abstractions;
using Coordinator.Domain.Manifest;
using Coordinator.Domain.Observation;
using Coordinator.Domain.Planning;
using Coordinator.Domain.State;
using Coordinator.Grains.Rollouts;
using Coordinator.Testing;

namespace Coordinator.Grains.Tests;

/// <summary>
/// A Rollout keeps its last 64 snapshots for watchers: a new one takes over from the last one published what did not
/// change, and shows exactly what a snapshot made from scratch shows.
/// </summary>
public sealed class RolloutSnapshotsTests
{
    private static readonly RolloutKey Key = new("c1", "test", "rollouts-demo");
    private static readonly RolloutSpec Spec = RolloutManifest.Parse(Manifests.SeedRollout).Spec;
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void What_did_not_change_is_taken_over_from_the_last_snapshot()
    {
        var (status, state, observation) = Rollout(ready: 0);
        var first = RolloutSnapshots.Create(Key, Spec, status, state, observation, null, Now);
        var second = RolloutSnapshots.Create(Key, Spec, status, state, observation, null, Now, first);

        Assert.Same(first.RecentEvents, second.RecentEvents);
        Assert.Same(first.ReplicaSets, second.ReplicaSets);
        Assert.Same(first.Conditions, second.Conditions);
        Assert.True(RolloutSnapshots.SameView(first, second));
    }

    [Fact]
    public void What_changed_is_shown_as_a_snapshot_made_from_scratch_shows_it()
    {
        var (status, state, observation) = Rollout(ready: 0);
        var first = RolloutSnapshots.Create(Key, Spec, status, state, observation, null, Now);

        var (_, _, ready) = Rollout(ready: 1);
        state.Events.Add(new RolloutEventRecord(Now, "Normal", "RolloutStepCompleted", "Rollout step 1/7 completed (setWeight: 5)"));
        var paused = Conditions.Set(status, Conditions.Paused, Conditions.True, Conditions.RolloutPausedReason, Conditions.PausedMessage, Now);
        var next = RolloutSnapshots.Create(Key, Spec, paused, state, ready, null, Now, first);
        var fromScratch = RolloutSnapshots.Create(Key, Spec, paused, state, ready, null, Now);

        Assert.NotSame(first.RecentEvents, next.RecentEvents);
        Assert.Equal("RolloutStepCompleted", next.RecentEvents[^1].Reason);
        Assert.Equal(fromScratch.RecentEvents, next.RecentEvents);
        Assert.Equal(1, next.ReplicaSets.Single(rs => rs.Hash == "bbbbbbbbbb").Ready);
        Assert.Same(first.ReplicaSets.Single(rs => rs.Hash == "aaaaaaaaaa"), next.ReplicaSets.Single(rs => rs.Hash == "aaaaaaaaaa"));
        Assert.Contains(next.Conditions, c => c.Type == Conditions.Paused);
        Assert.True(RolloutSnapshots.SameView(fromScratch, next));
        Assert.Equal(first.RecentEvents.Count + 1, next.RecentEvents.Count);
    }

    private static (RolloutStatus Status, RolloutGrainState State, ClusterObservation Observation) Rollout(int ready)
    {
        var status = Conditions.Set(new RolloutStatus { StableRS = "aaaaaaaaaa", CurrentPodHash = "bbbbbbbbbb", CurrentStepIndex = 1 },
            Conditions.Progressing, Conditions.True, Conditions.ReplicaSetUpdatedReason, Conditions.ReplicaSetProgressingMessage("rollouts-demo-bbbbbbbbbb"), Now);
        var state = new RolloutGrainState { Version = 3 };
        state.Events.Add(new RolloutEventRecord(Now, "Normal", "RolloutUpdated", "Rollout updated to revision 2"));
        var observation = new ClusterObservation
        {
            RolloutName = Key.Name,
            Namespace = Key.Namespace,
            ReplicaSets =
            [
                ReplicaSet("aaaaaaaaaa", revision: 1, ready: 1, image: "argoproj/rollouts-demo:blue"),
                ReplicaSet("bbbbbbbbbb", revision: 2, ready: ready, image: "argoproj/rollouts-demo:yellow"),
            ],
        };
        return (status, state, observation);
    }

    private static ObservedReplicaSet ReplicaSet(string hash, int revision, int ready, string image) => new()
    {
        Name = $"rollouts-demo-{hash}",
        PodTemplateHash = hash,
        Revision = revision,
        Replicas = 1,
        ReadyReplicas = ready,
        AvailableReplicas = ready,
        Template = new JsonObject { ["spec"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["image"] = image }) } },
    };
}
