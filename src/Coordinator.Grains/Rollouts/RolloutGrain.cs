using Coordinator.Abstractions;
using Coordinator.Domain.Actions;
using Coordinator.Domain.Manifest;
using Coordinator.Domain.Planning;
using Coordinator.Domain.Ports;
using Coordinator.Domain.State;
using Coordinator.Domain.Text;
using Coordinator.Domain.Validation;
using Coordinator.Grains.Fleet;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Coordinator.Grains.Rollouts;

/// <summary>
/// One Argo-compatible canary Rollout in one cluster. Commands change the persisted spec or status and
/// then run the observe → decide → act → persist loop (<c>RolloutGrain.Reconcile.cs</c>); timers,
/// reminders and cluster watches only wake that loop (<c>RolloutGrain.Scheduling.cs</c>).
/// </summary>
public sealed partial class RolloutGrain : Grain, IRolloutGrain, IRemindable
{
    private readonly IPersistentState<RolloutGrainState> _state;
    private readonly IClusterGateway _gateway;
    private readonly IClusterChanges _changes;
    private readonly TimeProvider _time;
    private readonly ILogger<RolloutGrain> _logger;
    private readonly IOptions<RolloutTimingOptions> _timing;
    private RolloutKey _key = null!;
    private RolloutSpec? _spec;
    private RolloutStatus _status = new();
    private IDisposable? _logScope;

    public RolloutGrain(
        [PersistentState("rollout", GrainStorageNames.Rollouts)] IPersistentState<RolloutGrainState> state,
        IClusterGateway gateway,
        IClusterChanges changes,
        TimeProvider time,
        IOptions<RolloutTimingOptions> timing,
        ILogger<RolloutGrain> logger)
    {
        _timing = timing;
        _state = state;
        _gateway = gateway;
        _changes = changes;
        _time = time;
        _logger = logger;
    }

    private bool Exists => _spec is not null;

    private RolloutTarget Target => new(_key.Cluster, _key.Namespace, _key.Name, _state.State.Uid);

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _key = RolloutKey.Parse(this.GetPrimaryKeyString());
        _logScope = _logger.BeginScope(new Dictionary<string, object> { ["Rollout"] = $"{_key.Namespace}/{_key.Name}", ["Cluster"] = _key.Cluster });
        if (_state.State.SpecJson is { } specJson)
        {
            _spec = StateJson.Deserialize<RolloutSpec>(specJson);
            if (_state.State.StatusJson is { } statusJson)
            {
                _status = StateJson.Deserialize<RolloutStatus>(statusJson);
                // The text read is dropped: the next write makes it again from the record.
                _state.State.SaveStatus(_status);
            }
            else _status = new RolloutStatus();
            // The reminder as last moved (null in state written before it was recorded: registered again on the first look).
            _reminderDueAt = _state.State.ReminderDueAt;
            // Texts that most Rollouts of a fleet have in common, read once per Rollout: kept once.
            _state.State.SpecJson = SharedTexts.Share(specJson);
            if (_state.State.FleetPreviousTemplate is { } previous) _state.State.FleetPreviousTemplate = SharedTexts.Share(previous);
            _state.State.Version = SnapshotFeed<RolloutSnapshot>.FirstVersionOfActivation(_state.State.Version, _time.GetUtcNow());
            Subscribe();
            // Events a predecessor saved and may not have written (it died): sent again, idempotently.
            SendRecordedEvents();
            // Whatever happened while no activation existed (a silo crash, a long pause): look now.
            RequestReconcile();
        }
        await base.OnActivateAsync(cancellationToken);
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _subscription?.Dispose();
        // Idle: nothing changed since the last snapshot, which stays true. Any other reason (migration, shutdown, a
        // failure) may bring the rollout up on another silo, which then reports it.
        if (reason.ReasonCode != DeactivationReasonCode.ActivationIdle)
        {
            Live?.Forget(_key);
            // A failure stops this Rollout's timer until something activates it again: worth a line when a pause ends
            // late. A shutdown or a migration does it for every Rollout of the silo, on purpose.
            var level = reason.ReasonCode is DeactivationReasonCode.ShuttingDown or DeactivationReasonCode.Migrating ? LogLevel.Debug : LogLevel.Information;
            _logger.Log(level, "Rollout deactivated ({Reason}: {Description})", reason.ReasonCode, reason.Description);
            // The silo holding this grain's directory entry died, not this one: the Rollout is activated again at once.
            if (reason.ReasonCode == DeactivationReasonCode.DirectoryFailure && Exists)
                ServiceProvider.GetService<DirectoryLossRevival>()?.Revive(_key, _state.State.WakeAt);
        }
        _logScope?.Dispose();
        return base.OnDeactivateAsync(reason, cancellationToken);
    }

    public Task<RolloutSnapshot> Apply(ParsedManifest manifest) => AsCommandAsync("apply", () => ApplyCoreAsync(manifest));

    private async Task<RolloutSnapshot> ApplyCoreAsync(ParsedManifest manifest)
    {
        var parsed = await CheckAsync(manifest);
        var isNew = !Exists;
        if (isNew)
        {
            _state.State.Uid = Guid.NewGuid().ToString();
            _state.State.CreatedAt = _time.GetUtcNow();
            _status = new RolloutStatus();
        }
        _state.State.Manifest = null; // written by earlier versions; nothing reads it
        _spec = parsed.Spec;
        _state.State.Deleting = false;
        _state.State.DeletionStartedAt = null;
        await PersistAsync();
        if (isNew)
        {
            await GrainFactory.GetGrain<IFleetDirectoryGrain>(0).RolloutCreated(_key);
            Subscribe();
        }
        _logger.LogInformation("Rollout applied ({Change})", isNew ? "created" : "updated");
        await ReconcileAsync(firstLook: ObservationSource.ApiServer);
        return Snapshot();
    }

    public async Task Check(ParsedManifest manifest) => await CheckAsync(manifest);

    /// <summary>What watchers were last told (saved, its Events written); the live view only before anything was published.</summary>
    public Task<RolloutSnapshot> Get() => Task.FromResult(_feed.Current(Snapshot, _time.GetUtcNow()));

    public Task<RolloutSnapshot> Promote(bool full) =>
        CommandAsync(full ? "promote --full" : "promote", () => (_spec, _status) = full ? RolloutCommands.PromoteFull(_spec!, _status) : RolloutCommands.Promote(_spec!, _status));

    public Task<RolloutSnapshot> Abort() =>
        CommandAsync("abort", () => _status = RolloutCommands.Abort(_status, _time.GetUtcNow()));

    public Task<RolloutSnapshot> Retry() =>
        CommandAsync("retry", () =>
        {
            if (!_status.Abort)
                throw new RolloutCommandException(CommandFailure.FailedPrecondition, "status.abort", $"rollout '{_key.Name}' is not aborted");
            _status = RolloutCommands.Retry(_spec!, _status, _time.GetUtcNow());
        });

    public Task<RolloutSnapshot> Pause() =>
        CommandAsync("pause", () => _spec = _spec! with { Paused = true });

    public Task<RolloutSnapshot> Resume() =>
        CommandAsync("resume", () => _spec = _spec! with { Paused = false });

    public Task<RolloutSnapshot> SetImage(string container, string image) =>
        AsCommandAsync($"set image {container}={image}", () => SetImageCoreAsync(container, image));

    private async Task<RolloutSnapshot> SetImageCoreAsync(string container, string image)
    {
        EnsureExists();
        var deployment = _spec!.WorkloadRef?.Name
            ?? throw new RolloutCommandException(CommandFailure.FailedPrecondition, "spec.workloadRef", "the rollout has no workloadRef Deployment");
        await CallClusterAsync(ct => _gateway.SetImageAsync(Target, deployment, container, image, ct), "container");
        _logger.LogInformation("Image of container {Container} set to {Image}", container, image);
        await ReconcileAsync(firstLook: ObservationSource.ApiServer);
        return Snapshot();
    }

    public Task<RolloutSnapshot> Undo(int? toRevision) =>
        AsCommandAsync(toRevision is { } revision ? $"undo --to-revision {revision}" : "undo", () => UndoCoreAsync(toRevision));

    private async Task<RolloutSnapshot> UndoCoreAsync(int? toRevision)
    {
        EnsureExists();
        var observed = await CallClusterAsync(ct => _gateway.ObserveAsync(Target, _spec!, ObservationSource.ApiServer, null, ct), "spec.workloadRef");
        var undo = RolloutCommands.Undo(observed.Observation, _status, toRevision);
        if (undo.Action is not { } action)
            throw new RolloutCommandException(CommandFailure.FailedPrecondition, "toRevision", undo.Message);
        await CallClusterAsync(ct => _gateway.ApplyAsync(Target, observed, action, ct), "spec.workloadRef");
        _logger.LogInformation("Undo to revision {Revision}", toRevision?.ToString() ?? "previous");
        await ReconcileAsync(firstLook: ObservationSource.ApiServer);
        return Snapshot();
    }

    public Task<RolloutSnapshot> Delete() => AsCommandAsync("delete", DeleteCoreAsync);

    private async Task<RolloutSnapshot> DeleteCoreAsync()
    {
        EnsureExists();
        if (!_state.State.Deleting)
        {
            _state.State.Deleting = true;
            _state.State.DeletionStartedAt = _time.GetUtcNow();
            RecordCommandEvent();
            RecordEvent(RolloutEvents.RolloutDeleted(_key.Name, _key.Namespace), _time.GetUtcNow());
            await PersistAsync(); // the deletion is durable, then its Events go out
            _logger.LogInformation("Rollout deletion started");
        }
        await ReconcileAsync(firstLook: ObservationSource.ApiServer);
        return Snapshot();
    }

    public Task Wake()
    {
        WatchWakeHandled();
        _clusterChanged = true;
        if (Exists) RequestReconcile();
        return Task.CompletedTask;
    }

    public Task EnsureActive() => Task.CompletedTask; // OnActivateAsync did the work, if this call activated the grain

    private Task<RolloutSnapshot> CommandAsync(string name, Action change) => AsCommandAsync(name, () => CommandCoreAsync(name, change));

    private async Task<RolloutSnapshot> CommandCoreAsync(string name, Action change)
    {
        EnsureExists();
        if (_state.State.Deleting)
            throw new RolloutCommandException(CommandFailure.FailedPrecondition, "metadata.deletionTimestamp", $"rollout '{_key.Name}' is being deleted");
        change();
        await PersistAsync();
        _logger.LogInformation("Command {Command} accepted", name);
        await ReconcileAsync(firstLook: ObservationSource.ApiServer);
        return Snapshot();
    }

    /// <summary>Validates a parsed manifest against the spec rules and this cluster; writes nothing.</summary>
    private async Task<RolloutManifest> CheckAsync(ParsedManifest manifest)
    {
        var parsed = manifest.Manifest;
        if (parsed.Name != _key.Name)
            throw new RolloutCommandException(CommandFailure.InvalidArgument, "metadata.name", $"metadata.name: '{parsed.Name}' does not match the rollout '{_key.Name}'");
        ThrowIfInvalid(RolloutValidator.ValidateSpec(parsed.Spec, parsed.Name));

        var target = new RolloutTarget(_key.Cluster, _key.Namespace, _key.Name, _state.State.Uid);
        var observed = await CallClusterAsync(ct => _gateway.ObserveAsync(target, parsed.Spec, ObservationSource.ApiServer, null, ct), "cluster");
        ThrowIfInvalid(RolloutValidator.ValidateReferences(parsed.Spec, observed.Observation));
        return parsed;
    }

    /// <summary>A refused manifest: the field it is about and Argo's full message.</summary>
    private static void ThrowIfInvalid(ValidationResult result)
    {
        if (result.FirstError is { } error)
            throw new RolloutCommandException(CommandFailure.InvalidArgument, error.Path, result.Message!);
    }

    private void EnsureExists()
    {
        if (!Exists)
            throw new RolloutCommandException(CommandFailure.NotFound, "name", $"rollout '{_key.Name}' not found in namespace '{_key.Namespace}' of cluster '{_key.Cluster}'");
    }

    /// <summary>Runs a cluster call for a user command, turning cluster failures into command errors.</summary>
    private async Task<T> CallClusterAsync<T>(Func<CancellationToken, Task<T>> call, string field)
    {
        try
        {
            return await call(CancellationToken.None);
        }
        catch (ClusterCallException ex)
        {
            var failure = ex.Failure switch
            {
                ClusterCallFailure.NotFound => CommandFailure.NotFound,
                ClusterCallFailure.Rejected => CommandFailure.InvalidArgument,
                ClusterCallFailure.Conflict => CommandFailure.FailedPrecondition,
                _ => CommandFailure.Unavailable,
            };
            throw new RolloutCommandException(failure, field, ex.Message);
        }
    }

    private Task CallClusterAsync(Func<CancellationToken, Task> call, string field) =>
        CallClusterAsync<bool>(async ct => { await call(ct); return true; }, field);
}
