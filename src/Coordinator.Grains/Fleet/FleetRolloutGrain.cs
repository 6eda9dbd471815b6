using Coordinator.Abstractions;
using Coordinator.Domain.Fleet;
using Coordinator.Domain.Ports;
using Coordinator.Grains.Rollouts;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Storage;

namespace Coordinator.Grains.Fleet;

/// <summary>
/// One FleetRollout (key: its name). Apply validates and freezes the spec and its plan for a run; the run is driven by
/// the pure <see cref="FleetPlanner"/> (<c>FleetRolloutGrain.Drive.cs</c>), woken by the RolloutGrains' notifications,
/// its own deadlines (timer and reminder, <c>FleetRolloutGrain.Scheduling.cs</c>) and the fleet-wide budget.
/// </summary>
public sealed partial class FleetRolloutGrain : Grain, IFleetRolloutGrain, IFleetRunGrain, IRemindable
{
    private const string StateName = "fleetRollout";

    private readonly IPersistentState<FleetRolloutGrainState> _state;
    private readonly IClusterDirectory _directory;
    private readonly TimeProvider _time;
    private readonly IOptions<RolloutTimingOptions> _timing;
    private readonly ILogger<FleetRolloutGrain> _logger;
    private readonly Dictionary<string, ClusterProgress> _progress = new(StringComparer.Ordinal);
    private string _name = "";
    private FleetSpec? _spec;
    private FleetPlan? _plan;
    private FleetRunState? _run;
    private IDisposable? _logScope;
    private FleetSpec? _savedSpec;
    private FleetPlan? _savedPlan;
    private FleetRunShards _shards = null!;

    public FleetRolloutGrain(
        [PersistentState(StateName, GrainStorageNames.Rollouts)] IPersistentState<FleetRolloutGrainState> state,
        IClusterDirectory directory,
        TimeProvider time,
        IOptions<RolloutTimingOptions> timing,
        ILogger<FleetRolloutGrain> logger)
    {
        _state = state;
        _directory = directory;
        _time = time;
        _timing = timing;
        _logger = logger;
    }

    private bool Exists => _run is not null;

    private IFleetBudgetGrain Budget => GrainReferences.Get<IFleetBudgetGrain>(GrainFactory, 0);

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _name = this.GetPrimaryKeyString();
        _logScope = _logger.BeginScope(new Dictionary<string, object> { ["Fleet"] = _name });
        _shards = new FleetRunShards(ServiceProvider.GetRequiredKeyedService<IGrainStorage>(GrainStorageNames.Rollouts), GrainContext.GrainId, StateName);
        if (_state.State.RunJson is { } runJson)
        {
            _spec = StateJson.Deserialize<FleetSpec>(_state.State.SpecJson!);
            _plan = StateJson.Deserialize<FleetPlan>(_state.State.PlanJson!);
            _run = StateJson.Deserialize<FleetRunState>(runJson);
            if (_state.State.RunShards > 0) _run = _run with { Clusters = await _shards.ReadAsync(_state.State, _run.Run) };
            _state.State.Version = SnapshotFeed<FleetSnapshot>.FirstVersionOfActivation(_state.State.Version, _time.GetUtcNow());
            // Notifications sent while no activation existed are lost: ask the clusters in progress where they are.
            _refreshProgress = true;
            RequestDrive();
        }
        await base.OnActivateAsync(cancellationToken);
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _logScope?.Dispose();
        // As a RolloutGrain's: an idle run's last snapshot stays true; any other reason may move the run to another silo.
        if (reason.ReasonCode != DeactivationReasonCode.ActivationIdle) Live?.Forget(_name);
        return base.OnDeactivateAsync(reason, cancellationToken);
    }

    public Task<FleetSnapshot> Get() => Task.FromResult(_feed.Current(Snapshot, _time.GetUtcNow()));

    public Task<FleetSnapshot> Approve(string? wave) =>
        CommandAsync(wave is null ? "approve" : $"approve --wave {wave}", run => FleetCommands.Approve(_plan!, run, wave, RequestedBy.Current ?? ""));

    public Task<FleetSnapshot> Halt() => CommandAsync("halt", run => FleetCommands.Halt(run, RequestedBy.Current ?? ""));

    public Task<FleetSnapshot> Resume() => CommandAsync("resume", FleetCommands.Resume);

    public Task<FleetSnapshot> Abort(bool revert) =>
        CommandAsync(revert ? "abort --revert" : "abort", run => FleetCommands.Abort(run, revert, RequestedBy.Current ?? ""));

    public Task<FleetSnapshot> Revert() => CommandAsync("revert", run => FleetCommands.Revert(run, RequestedBy.Current ?? ""));

    public async Task<FleetSnapshot> Delete()
    {
        EnsureExists();
        await StartsLandedAsync();
        if (!_run!.Finished && !_run.Aborted)
        {
            _run = FleetCommands.Abort(_run, revert: false, RequestedBy.Current ?? "").State!;
            await DriveAsync(); // sends the aborts to the clusters in progress
        }
        await Budget.Retain(_name, []);
        _leased = null;
        await UnregisterWakeAsync();
        await GrainFactory.GetGrain<IFleetDirectoryGrain>(0).FleetRemoved(_name);
        var version = _state.State.Version;
        await _state.ClearStateAsync();
        await _shards.ClearAsync();
        _state.State.Version = version + 1; // watchers see the deletion as one more change
        (_spec, _plan, _run) = (null, null, null);
        _progress.Clear();
        _logger.LogInformation("FleetRollout deleted");
        Publish();
        DeactivateOnIdle();
        return Snapshot();
    }

    public Task ClusterChanged(int run, MemberProgress progress)
    {
        if (_run is null || run != _run.Run) return Task.CompletedTask;
        _progress[progress.Cluster] = progress.ToDomain();
        _heardSinceStart.Add(progress.Cluster);
        RequestDrive();
        return Task.CompletedTask;
    }

    public Task Wake()
    {
        if (Exists)
        {
            _refreshProgress = true;
            RequestDrive();
        }
        return Task.CompletedTask;
    }

    private async Task<FleetSnapshot> CommandAsync(string name, Func<FleetRunState, (FleetRunState? State, FleetCommandError? Error)> command)
    {
        EnsureExists();
        await StartsLandedAsync();
        var (next, error) = command(_run!);
        if (error is not null)
            throw new RolloutCommandException(CommandFailure.FailedPrecondition, error.Field, $"fleet '{_name}': {error.Message}");
        _run = next!;
        await PersistAsync();
        _logger.LogInformation("Command {Command} accepted", name);
        await DriveAsync();
        return Snapshot();
    }

    private void EnsureExists()
    {
        if (!Exists) throw new RolloutCommandException(CommandFailure.NotFound, "name", $"fleet rollout '{_name}' not found");
    }

    private async Task PersistAsync()
    {
        // Spec and plan are frozen for a run: serialized again only when they are replaced (every pass saves the run).
        if (!ReferenceEquals(_spec, _savedSpec) || !ReferenceEquals(_plan, _savedPlan))
        {
            _state.State.SpecJson = _spec is null ? null : StateJson.Serialize(_spec);
            // Not FleetPlan itself: its Clusters view would store every cluster a second time.
            _state.State.PlanJson = _plan is null ? null : StateJson.Serialize(new { _plan.Waves, _plan.RunFailureBudget });
            (_savedSpec, _savedPlan) = (_spec, _plan);
        }
        if (_run is null) _state.State.RunJson = null;
        else
        {
            // The clusters that changed go to their shards first; the head below makes them part of the saved run.
            var commit = _state.State.Commit + 1;
            await _shards.WriteAsync(_run, commit);
            _state.State.RunJson = FleetRunJson.Head(_run);
            (_state.State.Commit, _state.State.RunId, _state.State.RunShards, _state.State.ShardSlots) = (commit, _shards.RunId, _shards.Count, _shards.ShardSlots);
        }
        _state.State.Version++;
        try
        {
            await _state.WriteStateAsync();
        }
        catch
        {
            // The head may have been saved or not: only storage knows which shard slots it names now. A new activation reads them.
            DeactivateOnIdle();
            this.AsReference<IFleetRunGrain>().Wake().Ignore();
            throw;
        }
        _shards.Saved();
        Publish();
    }
}
