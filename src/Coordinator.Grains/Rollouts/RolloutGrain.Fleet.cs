using System.Text.Json.Nodes;
using Coordinator.Abstractions;
using Coordinator.Domain.Fleet;
using Coordinator.Domain.Planning;
using Coordinator.Domain.Ports;
using Coordinator.Domain.Text;
using Coordinator.Grains.Fleet;
using Microsoft.Extensions.Logging;

namespace Coordinator.Grains.Rollouts;

/// <summary>
/// The Rollout as a member of a FleetRollout's run: the fleet writes its change through here (as <c>set image</c> does),
/// and every published snapshot is passed on to the fleet, which judges progress on it (no polling).
/// </summary>
public sealed partial class RolloutGrain : IFleetMemberGrain
{
    private DateTimeOffset? _failingSince;
    private (string Fleet, int Run, MemberProgress Progress)? _told;

    public async Task CheckFleetChange(string templatePatchJson)
    {
        EnsureExists();
        var deployment = FleetDeployment();
        // A check that writes nothing, so a fleet apply does not read five objects from every cluster before its first
        // write: the last look when the watches saw nothing change since (a change of the Deployment's spec wakes the
        // Rollout, ObjectFingerprint), else the watch cache. The write itself (StartFleetChange) checks again.
        var observed = !_clusterChanged && _lastObserved is { } last ? last : await LookAsync(ObservationSource.Cache);
        CheckContainers(templatePatchJson, deployment, observed);
    }

    public async Task<FleetChangeResult> StartFleetChange(string fleet, int run, string templatePatchJson)
    {
        EnsureExists();
        if (_state.State.Deleting)
            throw new RolloutCommandException(CommandFailure.FailedPrecondition, "metadata.deletionTimestamp", $"rollout '{_key.Name}' is being deleted");
        var deployment = FleetDeployment();
        var hashBefore = _status.CurrentPodHash;
        if (_state.State.FleetName != fleet || _state.State.FleetRun != run || _state.State.FleetPreviousTemplate is null)
        {
            // First write of this run: remember what to revert to (a retry must not record the new template as the old).
            // The Deployment as the watch cache has it, the write conditional on that version: a cache behind a change
            // of the Deployment (a user's set image a moment ago) makes the write a conflict, and then the template is
            // read from the API server, as it is written over. Either way the template recorded is the one the change
            // replaced, without a read per cluster when the cache is current (as it is, but for such races).
            var cachedVersion = await RecordFleetChangeAsync(fleet, run, templatePatchJson, deployment, ObservationSource.Cache);
            await CallClusterAsync(async ct =>
            {
                try
                {
                    await _gateway.PatchDeploymentTemplateAsync(Target, deployment, templatePatchJson, cachedVersion, ct);
                }
                catch (ClusterCallException ex) when (ex.Failure == ClusterCallFailure.Conflict && cachedVersion is not null)
                {
                    _logger.LogInformation("Deployment {Deployment} changed since the watch cache saw it: its template is read again", deployment);
                    await RecordFleetChangeAsync(fleet, run, templatePatchJson, deployment, ObservationSource.FreshDeployment);
                    await _gateway.PatchDeploymentTemplateAsync(Target, deployment, templatePatchJson, expectedResourceVersion: null, ct);
                }
            }, "spec.template");
        }
        else
        {
            if (RetryIfAborted()) await PersistAsync();
            await CallClusterAsync(ct => _gateway.PatchDeploymentTemplateAsync(Target, deployment, templatePatchJson, expectedResourceVersion: null, ct), "spec.template");
        }
        _logger.LogInformation("Template change of fleet {Fleet} (run {Run}) written to deployment {Deployment}", fleet, run, deployment);
        // The gateway put the written Deployment in its cache: a look from the cache sees the change (eleven reads fewer
        // per cluster than reading everything again; docs/benchmarks.md, session of 2026-12-03).
        await ReconcileAsync(firstLook: ObservationSource.Cache);
        // The reconcile's looks all followed the write: the hash it works towards is the change's. A write of the
        // reconcile that failed after it saw the change (a conflict, retried by the Rollout itself) does not make the
        // change unwritten: the fleet must count it as written, or a halt would not abort it.
        var seen = _status.CurrentPodHash is { } hash && (_lastError is null || hash != hashBefore);
        if (!seen || _status.CurrentPodHash is not { } target)
            throw new RolloutCommandException(CommandFailure.Unavailable, "cluster", _lastError ?? "the Rollout has not seen the change yet");
        return new FleetChangeResult(target, _state.State.FleetPreviousHash ?? "", FleetProgressNow());
    }

    /// <summary>
    /// Records the Deployment's template as the look from <paramref name="source"/> shows it, to revert to, and saves it
    /// before the change is written; returns the version of the Deployment it was read from.
    /// </summary>
    private async Task<string?> RecordFleetChangeAsync(string fleet, int run, string templatePatchJson, string deployment, ObservationSource source)
    {
        var observed = await LookAsync(source);
        CheckContainers(templatePatchJson, deployment, observed);
        var current = observed.Observation.Deployment!;
        _state.State.FleetName = fleet;
        _state.State.FleetRun = run;
        // Every cluster of a fleet reverts to the same template, most of the time: one instance, not one per Rollout.
        _state.State.FleetPreviousTemplate = SharedTexts.Share(current.Template.ToJsonString());
        _state.State.FleetPreviousHash = _status.StableRS ?? "";
        RetryIfAborted();
        await PersistAsync();
        return current.ResourceVersion;
    }

    /// <summary>
    /// A look from <paramref name="source"/> that reuses the last look's templates for the objects that did not change
    /// since. (Not the last look itself: it may hold an older version of the Deployment, whose status changes without
    /// waking the Rollout, and the version is the change's precondition.)
    /// </summary>
    private Task<Observed> LookAsync(ObservationSource source) =>
        CallClusterAsync(ct => _gateway.ObserveAsync(Target, _spec!, source, _lastObserved, ct), "cluster");

    /// <summary>A run resumed after a halt starts its aborted clusters again: their Deployment already has the change.</summary>
    private bool RetryIfAborted()
    {
        if (!_status.Abort) return false;
        _status = RolloutCommands.Retry(_spec!, _status, _time.GetUtcNow());
        return true;
    }

    public async Task<MemberProgress> RevertFleetChange(string fleet, int run)
    {
        EnsureExists();
        if (_state.State.FleetName != fleet || _state.State.FleetRun != run || _state.State.FleetPreviousTemplate is not { } previous)
            throw new RolloutCommandException(CommandFailure.FailedPrecondition, "run", $"run {run} of fleet '{fleet}' did not change this Rollout's Deployment last");
        var deployment = FleetDeployment();
        await CallClusterAsync(ct => _gateway.ReplaceDeploymentTemplateAsync(Target, deployment, previous, ct), "spec.template");
        _logger.LogInformation("Template of deployment {Deployment} restored for fleet {Fleet} (run {Run})", deployment, fleet, run);
        await ReconcileAsync(firstLook: ObservationSource.Cache);
        return FleetProgressNow();
    }

    public Task<string?> RolloutSpecJson() => Task.FromResult(_state.State.SpecJson);

    public Task<MemberProgress> FleetProgress()
    {
        // The fleet may amend this report (a probe of the API server failed): the next publish is sent whatever it holds.
        _told = null;
        return Task.FromResult(FleetProgressNow());
    }

    private MemberProgress FleetProgressNow()
    {
        _failingSince = _lastError is null ? null : _failingSince ?? _time.GetUtcNow();
        return new MemberProgress
        {
            Cluster = _key.Cluster,
            Exists = Exists && !_state.State.Deleting,
            Phase = _status.Phase.ToString(),
            Message = _status.Message,
            Aborted = _status.Abort,
            Step = _status.CurrentStepIndex,
            StepCount = _spec?.Strategy.Canary?.Steps.Length ?? 0,
            CanaryWeight = _status.Canary.Weights?.Canary.Weight ?? 0,
            Revision = _status.CurrentRevision ?? 0,
            CurrentPodHash = _status.CurrentPodHash ?? "",
            StableHash = _status.StableRS ?? "",
            LastCallFailure = _lastError,
            FailingSince = _failingSince,
        };
    }

    /// <summary>
    /// Passes a published change on to the fleet run that changed this Rollout (one-way: never waits for it). The fleet
    /// judges a cluster on its progress alone, so a publish that leaves the progress as the fleet last heard it (a status
    /// saved between two steps, a wake-up moved) is not sent: most publishes of a step are such, and each notification
    /// is a message the fleet's activation must queue while it is busy deciding.
    /// </summary>
    private void NotifyFleet()
    {
        if (_state.State.FleetName is not { } fleet) return;
        var run = _state.State.FleetRun;
        var progress = FleetProgressNow();
        if (_told is { } told && told.Fleet == fleet && told.Run == run && told.Progress == progress) return;
        _told = (fleet, run, progress);
        GrainReferences.Get<IFleetRunGrain>(GrainFactory, fleet).ClusterChanged(run, progress).Ignore();
    }

    private string FleetDeployment() =>
        _spec!.WorkloadRef?.Name
        ?? throw new RolloutCommandException(CommandFailure.FailedPrecondition, "spec.workloadRef", "the rollout has no workloadRef Deployment");

    private void CheckContainers(string templatePatchJson, string deployment, Observed observed)
    {
        var template = observed.Observation.Deployment?.Template
            ?? throw new RolloutCommandException(CommandFailure.NotFound, "spec.workloadRef", $"deployment {_key.Namespace}/{deployment} not found");
        var containers = (template["spec"]?["containers"] as JsonArray ?? []).OfType<JsonObject>()
            .Select(c => c["name"]?.GetValue<string>()).OfType<string>().ToList();
        if (FleetTemplate.CheckContainers(templatePatchJson, containers, $"{_key.Namespace}/{deployment}") is { } error)
            throw new RolloutCommandException(CommandFailure.InvalidArgument, error.Path, error.ToString());
    }
}
