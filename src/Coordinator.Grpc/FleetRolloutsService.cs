using Coordinator.Abstractions;
using Coordinator.Domain.Manifest;
using Coordinator.Grpc.Security;
using Coordinator.Grpc.V1;
using Grpc.Core;
using Microsoft.Extensions.Logging;

namespace Coordinator.Grpc;

/// <summary>
/// The <c>coordinator.v1.FleetRollouts</c> service: parses a FleetRollout manifest once, checks the caller's rights on
/// the fleet (resource <c>fleets</c>, object the FleetRollout's name) and calls its one <see cref="IFleetRolloutGrain"/>.
/// </summary>
public sealed class FleetRolloutsService(
    IGrainFactory grains, ManifestLimits limits, WatchLimiter watches, RolloutAccess access, ILogger<FleetRolloutsService> logger)
    : FleetRollouts.FleetRolloutsBase
{
    private static readonly TimeSpan WatchPoll = TimeSpan.FromSeconds(10);

    public override async Task<FleetRolloutReply> ApplyFleetRollout(ApplyFleetRolloutRequest request, ServerCallContext context)
    {
        var manifest = Parse(request.Manifest);
        access.AuthorizeFleet(context, RbacActions.MutatingMethods[nameof(ApplyFleetRollout)], manifest.Name);
        var snapshot = await CallAsync(manifest.Name, g => g.Apply(manifest));
        return Noted(context, snapshot).ToMessage();
    }

    public override async Task<FleetPlanReply> PlanFleetRollout(PlanFleetRolloutRequest request, ServerCallContext context)
    {
        var manifest = Parse(request.Manifest);
        access.AuthorizeFleet(context, RbacActions.Get, manifest.Name);
        return (await CallAsync(manifest.Name, g => g.Plan(manifest))).ToMessage();
    }

    public override async Task<FleetRolloutReply> GetFleetRollout(FleetRolloutRequest request, ServerCallContext context)
    {
        RequestNames.RolloutName(request.Name);
        access.AuthorizeFleet(context, RbacActions.Get, request.Name);
        return (await ExistingAsync(request.Name)).ToMessage();
    }

    public override async Task<ListFleetRolloutsReply> ListFleetRollouts(ListFleetRolloutsRequest request, ServerCallContext context)
    {
        var mayGet = access.MayGetFleet(context);
        var names = (await grains.GetGrain<IFleetDirectoryGrain>(0).ListFleets())
            .Where(mayGet).Order(StringComparer.Ordinal).ToList();
        var snapshots = await Task.WhenAll(names.Select(name => CallAsync(name, g => g.Get())));
        var reply = new ListFleetRolloutsReply();
        reply.FleetRollouts.AddRange(snapshots.Where(s => s.Exists).Select(s => s.ToMessage()));
        return reply;
    }

    public override async Task WatchFleetRollout(FleetRolloutRequest request, IServerStreamWriter<FleetRolloutReply> responseStream, ServerCallContext context)
    {
        RequestNames.RolloutName(request.Name);
        access.AuthorizeFleet(context, RbacActions.Get, request.Name);
        var client = ClientIdentity.Of(context);
        using var slot = watches.TryOpen(client) ?? throw new RpcException(new Status(StatusCode.ResourceExhausted,
            $"{client} has {watches.MaxPerClient} open watches, the limit ({ManifestLimits.Key("MaxWatchesPerClient")}): close one first"));
        // The slot is free as soon as the client goes away, not only once the long poll below has returned.
        using var release = context.CancellationToken.Register(slot.Dispose);
        var ct = context.CancellationToken;
        var latest = await ExistingAsync(request.Name);
        await responseStream.WriteAsync(latest.ToMessage(), ct);
        try
        {
            while (latest.Exists)
            {
                var version = latest.Version;
                foreach (var change in await GrainCallRetry.RunAsync(() => Grain(request.Name).ChangesSince(version, WatchPoll), ct))
                {
                    latest = change;
                    await responseStream.WriteAsync(change.ToMessage(), ct);
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // the client went away
        }
    }

    public override Task<FleetRolloutReply> ApproveFleetRollout(ApproveFleetRolloutRequest request, ServerCallContext context) =>
        CommandAsync(context, nameof(ApproveFleetRollout), request.Name, g => g.Approve(string.IsNullOrWhiteSpace(request.Wave) ? null : request.Wave));

    public override Task<FleetRolloutReply> HaltFleetRollout(FleetRolloutRequest request, ServerCallContext context) =>
        CommandAsync(context, nameof(HaltFleetRollout), request.Name, g => g.Halt());

    public override Task<FleetRolloutReply> ResumeFleetRollout(FleetRolloutRequest request, ServerCallContext context) =>
        CommandAsync(context, nameof(ResumeFleetRollout), request.Name, g => g.Resume());

    public override Task<FleetRolloutReply> AbortFleetRollout(AbortFleetRolloutRequest request, ServerCallContext context) =>
        CommandAsync(context, nameof(AbortFleetRollout), request.Name, g => g.Abort(request.Revert));

    public override Task<FleetRolloutReply> RevertFleetRollout(FleetRolloutRequest request, ServerCallContext context) =>
        CommandAsync(context, nameof(RevertFleetRollout), request.Name, g => g.Revert());

    public override Task<FleetRolloutReply> DeleteFleetRollout(FleetRolloutRequest request, ServerCallContext context) =>
        CommandAsync(context, nameof(DeleteFleetRollout), request.Name, g => g.Delete());

    /// <summary>The one parse of this request, under the configured limits; the grain only ever sees the parsed form.</summary>
    private ParsedFleetManifest Parse(string text)
    {
        if (string.IsNullOrWhiteSpace(text)) throw CommandErrors.Invalid("manifest", "must not be empty");
        try
        {
            return ParsedFleetManifest.Parse(text, limits);
        }
        catch (ManifestException ex)
        {
            throw CommandErrors.Invalid("manifest", ex.Message);
        }
    }

    /// <summary>
    /// A command (<paramref name="method"/> names the gRPC method, for its policy action). The grain refuses it with
    /// NotFound when no FleetRollout of that name exists, and with FailedPrecondition when the run's state does not allow it.
    /// </summary>
    private async Task<FleetRolloutReply> CommandAsync(ServerCallContext context, string method, string name,
        Func<IFleetRolloutGrain, Task<FleetSnapshot>> command)
    {
        RequestNames.RolloutName(name);
        access.AuthorizeFleet(context, RbacActions.MutatingMethods[method], name);
        return Noted(context, await CallAsync(name, command)).ToMessage();
    }

    /// <summary>The FleetRollout's snapshot; NotFound when none was applied under this name.</summary>
    private async Task<FleetSnapshot> ExistingAsync(string name)
    {
        var snapshot = await CallAsync(name, g => g.Get());
        return snapshot.Exists ? snapshot : throw CommandErrors.NotFound("name", $"fleet rollout '{name}' not found");
    }

    private static FleetSnapshot Noted(ServerCallContext context, FleetSnapshot snapshot)
    {
        RolloutAccess.NoteFleetClusters(context, snapshot.Waves.SelectMany(w => w.Clusters).Select(c => c.Cluster).ToList());
        return snapshot;
    }

    private async Task<T> CallAsync<T>(string name, Func<IFleetRolloutGrain, Task<T>> call)
    {
        try
        {
            return await GrainCallRetry.RunAsync(() => call(Grain(name)));
        }
        catch (RolloutCommandException ex)
        {
            throw ex.ToRpc();
        }
        catch (Exception ex) when (ex is TimeoutException or OrleansException)
        {
            logger.LogWarning("Fleet rollout {Fleet}: {Error}", name, ex.Message);
            throw new RpcException(new Status(StatusCode.Unavailable, $"fleet rollout {name}: {ex.Message}"));
        }
    }

    private IFleetRolloutGrain Grain(string name) => grains.GetGrain<IFleetRolloutGrain>(name);
}
