using Coordinator.Abstractions;
using Coordinator.Domain.Fleet;
using Coordinator.Domain.State;
using Coordinator.Grains.Rollouts;
using Microsoft.Extensions.Logging;

namespace Coordinator.Grains.Fleet;

/// <summary>
/// Apply and plan: the spec is checked against the fleet as it is (clusters, which of them have the Rollout, the
/// Deployment's containers in every participating cluster) before anything is written, and frozen for a run.
/// A changed spec applied while a run is in progress waits: it starts the next run when this one ends.
/// </summary>
public sealed partial class FleetRolloutGrain
{
    /// <summary>A setWeight step in the estimate: new pods Ready and the VirtualService written (KubeSim and small apps: seconds).</summary>
    private static readonly TimeSpan EstimatedStepTime = TimeSpan.FromSeconds(10);

    public async Task<FleetSnapshot> Apply(ParsedFleetManifest manifest)
    {
        var spec = CheckName(manifest);
        var plan = await ResolveAsync(spec);
        await CheckTemplateAsync(spec, plan);

        var specJson = StateJson.Serialize(spec);
        if (_run is not null && _state.State.SpecJson == specJson)
        {
            // The same spec again: nothing to do (a new run needs a changed spec); a queued edit is withdrawn.
            if (_state.State.QueuedSpecJson is not null) (_state.State.QueuedManifest, _state.State.QueuedSpecJson) = (null, null);
            await PersistAsync();
            return Snapshot();
        }
        if (_run is { Finished: false })
        {
            (_state.State.QueuedManifest, _state.State.QueuedSpecJson) = (manifest.Text, specJson);
            await PersistAsync();
            _logger.LogInformation("Changed spec queued: run {Run} keeps its plan, run {Next} starts when it ends", _run.Run, _run.Run + 1);
            return Snapshot();
        }
        await StartRunAsync(manifest.Text, spec, plan);
        await DriveAsync();
        return Snapshot();
    }

    public async Task<FleetPlanPreview> Plan(ParsedFleetManifest manifest)
    {
        var spec = CheckName(manifest);
        var plan = await ResolveAsync(spec);
        var estimate = await EstimateAsync(spec, plan);
        var notes = plan.Waves.Where(w => w.RequireApproval).Select(w => $"wave {w.Name} waits for approval (rolloutctl fleet approve {_name} --wave {w.Name})").ToList();
        if (estimate?.NeedsManualPromotion == true) notes.Add("the Rollout has an indefinite pause: every cluster waits for a manual promotion");
        return new FleetPlanPreview
        {
            Name = _name,
            EstimatedDuration = estimate?.Total ?? TimeSpan.Zero,
            FailureBudget = plan.RunFailureBudget,
            Waves = plan.Waves.Select(w => new FleetPlanWave
            {
                Name = w.Name, Clusters = w.Clusters, MaxParallel = w.MaxParallel, BakeTime = w.BakeTime,
                RequireApproval = w.RequireApproval, FailureBudget = w.FailureBudget,
                EstimatedDuration = estimate?.Waves.FirstOrDefault(e => e.Name == w.Name)?.Duration ?? TimeSpan.Zero,
            }).ToList(),
            Notes = notes,
        };
    }

    /// <summary>From the Rollout's steps as applied in the plan's first cluster (the same manifest is applied everywhere).</summary>
    private async Task<FleetEstimate?> EstimateAsync(FleetSpec spec, FleetPlan plan)
    {
        if (plan.Clusters.FirstOrDefault() is not { } first) return null;
        var json = await Member(first, spec).RolloutSpecJson();
        return json is null ? null : FleetEstimate.Estimate(plan, StateJson.Deserialize<RolloutSpec>(json), EstimatedStepTime);
    }

    private FleetSpec CheckName(ParsedFleetManifest manifest)
    {
        if (manifest.Name != this.GetPrimaryKeyString())
            throw new RolloutCommandException(CommandFailure.InvalidArgument, "metadata.name",
                $"metadata.name: '{manifest.Name}' does not match the fleet rollout '{this.GetPrimaryKeyString()}'");
        return manifest.Spec;
    }

    /// <summary>The waves resolved against the registry's clusters that have the Rollout now.</summary>
    private async Task<FleetPlan> ResolveAsync(FleetSpec spec)
    {
        var clusters = _directory.ListClusters().Select(c => new FleetCluster(c.Name, c.Labels)).ToList();
        var rollouts = await GrainFactory.GetGrain<IFleetDirectoryGrain>(0).ListRollouts();
        var withRollout = rollouts.Where(k => k.Namespace == spec.Rollout.Namespace && k.Name == spec.Rollout.Name)
            .Select(k => k.Cluster).ToHashSet(StringComparer.Ordinal);
        var resolution = FleetWaves.Resolve(spec, clusters, withRollout);
        if (resolution.Error is { } error)
            throw new RolloutCommandException(CommandFailure.InvalidArgument, error.Path, $"The FleetRollout \"{_name}\" is invalid: {error}");
        return resolution.Plan!;
    }

    /// <summary>
    /// The template must patch containers the Deployment has, in every participating cluster (checked without writing).
    /// A cluster that cannot be reached now is not a refusal: the run's <c>unreachable</c> policy deals with it.
    /// </summary>
    private async Task CheckTemplateAsync(FleetSpec spec, FleetPlan plan)
    {
        var refusals = await Task.WhenAll(plan.Clusters.Select(async cluster =>
        {
            try
            {
                await Member(cluster, spec).CheckFleetChange(spec.TemplatePatchJson);
                return null;
            }
            catch (RolloutCommandException ex)
            {
                return ex.Failure == CommandFailure.Unavailable ? null : new { Cluster = cluster, ex.Field, Message = ex.Message };
            }
        }));
        var first = refusals.FirstOrDefault(r => r is not null);
        if (first is null) return;
        var clusters = refusals.Where(r => r is not null && r.Field == first.Field && r.Message == first.Message).Select(r => r!.Cluster).ToList();
        throw new RolloutCommandException(CommandFailure.InvalidArgument, first.Field,
            $"{first.Message} (cluster{(clusters.Count > 1 ? "s" : "")} {string.Join(", ", clusters.Take(10))}{(clusters.Count > 10 ? $" and {clusters.Count - 10} more" : "")})");
    }

    private async Task StartRunAsync(string manifestText, FleetSpec spec, FleetPlan plan)
    {
        var isNew = _run is null;
        var number = (_run?.Run ?? 0) + 1;
        (_spec, _plan) = (spec, plan);
        _run = FleetRunState.Start(number, plan, _time.GetUtcNow());
        _progress.Clear();
        _state.State.Manifest = manifestText;
        (_state.State.QueuedManifest, _state.State.QueuedSpecJson) = (null, null);
        await PersistAsync();
        if (isNew) await GrainFactory.GetGrain<IFleetDirectoryGrain>(0).FleetCreated(_name);
        _logger.LogInformation("Run {Run} started: {Waves} waves, {Clusters} clusters", number, plan.Waves.Count, plan.Clusters.Count());
    }

    /// <summary>The run in progress ended and a changed spec was waiting: resolve it against the fleet as it is now and start it.</summary>
    private async Task StartQueuedRunAsync()
    {
        var spec = StateJson.Deserialize<FleetSpec>(_state.State.QueuedSpecJson!);
        var manifest = _state.State.QueuedManifest ?? "";
        try
        {
            await StartRunAsync(manifest, spec, await ResolveAsync(spec));
        }
        catch (RolloutCommandException ex)
        {
            // The fleet changed since the spec was applied: the queued run cannot start; say so and drop it.
            _logger.LogWarning("Queued run dropped: {Error}", ex.Message);
            (_state.State.QueuedManifest, _state.State.QueuedSpecJson) = (null, null);
            _queuedError = ex.Message;
            await PersistAsync();
        }
    }

    private IFleetMemberGrain Member(string cluster, FleetSpec spec) =>
        GrainReferences.Get<IFleetMemberGrain>(GrainFactory, new RolloutKey(cluster, spec.Rollout.Namespace, spec.Rollout.Name).ToString());
}
