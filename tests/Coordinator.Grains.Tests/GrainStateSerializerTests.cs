using System.Text.Json;
using Coordinator.Abstractions;
using Coordinator.Grains.Fleet;
using Coordinator.Grains.Hosting;
using Coordinator.Grains.Rollouts;
using Coordinator.Grains.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Serialization;
using Orleans.Storage;

namespace Coordinator.Grains.Tests;

/// <summary>
/// Grain state goes to storage in Orleans' binary format, and state written before in the default Newtonsoft JSON
/// still reads: a silo upgraded over existing storage loses nothing.
/// </summary>
[Collection(CoordinatorCollection.Name)]
public sealed class GrainStateSerializerTests(CoordinatorFixture fixture)
{
    private IServiceProvider Silo => fixture.Orleans.Silos[0].ServiceProvider;

    private IGrainStorageSerializer Compact => Silo.GetRequiredService<IGrainStorageSerializer>();

    private JsonGrainStorageSerializer Json => new(Silo.GetRequiredService<OrleansJsonSerializer>());

    [Fact]
    public void The_rollouts_storage_provider_uses_the_compact_serializer()
    {
        Assert.IsType<CompactGrainStorageSerializer>(Compact);
        var options = Silo.GetRequiredService<IOptionsMonitor<MemoryGrainStorageOptions>>().Get(GrainStorageNames.Rollouts);
        Assert.IsType<CompactGrainStorageSerializer>(options.GrainStorageSerializer);
    }

    [Fact]
    public void A_rollouts_state_round_trips_in_half_the_bytes_and_its_json_form_still_reads()
    {
        var state = RolloutState();

        var binary = Compact.Serialize(state);
        var json = Json.Serialize(state);

        Assert.False(CompactGrainStorageSerializer.IsJson(binary));
        Assert.True(CompactGrainStorageSerializer.IsJson(json));
        Assert.Equal(Describe(state), Describe(Compact.Deserialize<RolloutGrainState>(binary)!));
        Assert.Equal(Describe(state), Describe(Compact.Deserialize<RolloutGrainState>(json)!));
        Assert.True(binary.ToMemory().Length * 2 <= json.ToMemory().Length, $"binary {binary.ToMemory().Length} B, JSON {json.ToMemory().Length} B");
    }

    [Fact]
    public void Every_grain_state_type_round_trips_both_ways()
    {
        var directory = new FleetDirectoryState { Rollouts = [new RolloutKey("c1", "test", "rollouts-demo")], Fleets = ["demo-yellow"] };
        var budget = new FleetBudgetState { Leases = { ["demo-yellow"] = new HashSet<string>(StringComparer.Ordinal) { "c1", "c2" } }, Waiting = ["other"] };
        var fleet = new FleetRolloutGrainState
        {
            SpecJson = """{"rollout":{"name":"rollouts-demo"}}""", RunJson = "{}", WakeAt = DateTimeOffset.UnixEpoch, Version = 7,
            Commit = 12, RunId = "3f2a", RunShards = 2, ShardSlots = 3,
        };
        var shard = new FleetRunShardState { RunId = "3f2a", Commit = 11, ClustersJson = """[{"name":"c1"}]""" };

        AssertRoundTrips(directory);
        AssertRoundTrips(budget);
        AssertRoundTrips(fleet);
        AssertRoundTrips(shard);
        AssertRoundTrips(new RolloutGrainState());
        AssertRoundTrips(RolloutState());
        Assert.Contains(new RolloutKey("c1", "test", "rollouts-demo"), Compact.Deserialize<FleetDirectoryState>(Compact.Serialize(directory))!.Rollouts);
        Assert.Contains("c2", Compact.Deserialize<FleetBudgetState>(Json.Serialize(budget))!.Leases["demo-yellow"]);
    }

    private void AssertRoundTrips<T>(T state)
    {
        var binary = Compact.Serialize(state);
        Assert.False(CompactGrainStorageSerializer.IsJson(binary), $"{typeof(T).Name}'s binary form starts like JSON");
        // Byte for byte what Orleans' own storage serializer writes (made in a pooled buffer instead): saves of either read in the other.
        Assert.Equal(new OrleansGrainStorageSerializer(Silo.GetRequiredService<Serializer>()).Serialize(state).ToArray(), binary.ToArray());
        Assert.Equal(Describe(state), Describe(Compact.Deserialize<T>(binary)));
        Assert.Equal(Describe(state), Describe(Compact.Deserialize<T>(Json.Serialize(state))));
    }

    private static string Describe<T>(T value) => JsonSerializer.Serialize(value);

    /// <summary>A Rollout in the middle of an update: its spec and status, and the event history a save carries.</summary>
    private static RolloutGrainState RolloutState()
    {
        var started = new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
        var state = new RolloutGrainState
        {
            SpecJson = """{"replicas":1,"workloadRef":{"apiVersion":"apps/v1","kind":"Deployment","name":"rollouts-demo"},"strategy":{"canary":{"steps":[{"setWeight":20},{"pause":{"duration":"30s"}}]}}}""",
            StatusJson = """{"phase":"Progressing","currentStepIndex":2,"currentPodHash":"658d8b9fc8","stableRS":"68f55dc586"}""",
            Uid = "df8a6337-89ea-4e42-a35a-343ac2b15259",
            WakeAt = started.AddSeconds(30),
            Version = 42,
            CreatedAt = started,
            EventsRecorded = 30,
        };
        for (var i = 0; i < 28; i++)
            state.Events.Add(new RolloutEventRecord(started.AddSeconds(i), "Normal", "RolloutStepCompleted", $"Rollout step {i % 7 + 1}/7 completed (setWeight: 20)"));
        state.UnsentEvents.Add(new UnsentRolloutEvent(29, "Normal", "RolloutResumed", "Rollout is resumed", RequestedBy: null));
        state.UnsentEvents.Add(new UnsentRolloutEvent(30, "Normal", "TrafficWeightUpdated", "Traffic weight updated from 5 to 20", RequestedBy: "alice"));
        return state;
    }
}
