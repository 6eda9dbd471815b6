using Coordinator.Abstractions;
using Coordinator.Domain.Manifest;
using Coordinator.Grpc.Security;
using Coordinator.Grpc.V1;
using Grpc.Core;
using Microsoft.Extensions.Logging;

namespace Coordinator.Grpc;

/// <summary>
/// The <c>coordinator.v1.Rollouts</c> service: a thin layer that resolves target clusters and calls
/// one <see cref="IRolloutGrain"/> per cluster, in parallel. It talks to grains only.
/// </summary>
public sealed class RolloutsService : Rollouts.RolloutsBase
{
    private static readonly TimeSpan WatchPoll = TimeSpan.FromSeconds(10);

    private readonly IGrainFactory _grains;
    private readonly TargetResolver _targets;
    private readonly ManifestLimits _limits;
    private readonly WatchLimiter _watches;
    private readonly ILogger<RolloutsService> _logger;
    private readonly RolloutAccess _access;

    public RolloutsService(IGrainFactory grains, ManifestLimits limits, WatchLimiter watches, RolloutAccess access, ILogger<RolloutsService> logger)
    {
        _grains = grains;
        _access = access;
        _targets = new TargetResolver(grains);
        _limits = limits;
        _watches = watches;
        _logger = logger;
    }

    public override async Task<RolloutReply> ApplyRollout(ApplyRolloutRequest request, ServerCallContext context)
    {
        if (string.IsNullOrWhiteSpace(request.Manifest))
            throw CommandErrors.Invalid("manifest", "must not be empty");
        RequestNames.Namespace(request.Namespace);
        ParsedManifest manifest;
        try
        {
            // The one parse of this request: every cluster's grain gets the parsed form.
            manifest = ParsedManifest.From(request.Manifest, RolloutManifest.Parse(request.Manifest, _limits));
        }
        catch (ManifestException ex)
        {
            throw CommandErrors.Invalid("manifest", ex.Message);
        }

        var ns = FirstNonEmpty(request.Namespace, manifest.Namespace, "default");
        var keys = (await _targets.ResolveAsync(request.Target)).Select(c => new RolloutKey(c, ns, manifest.Name)).ToList();
        _access.Authorize(context, RbacActions.MutatingMethods[nameof(ApplyRollout)], keys);

        // Nothing is written anywhere unless every target cluster accepts the manifest; a refusal names every cluster that refused.
        var refusals = await Task.WhenAll(keys.Select(async Task<(string Cluster, RpcException? Error)> (key) =>
        {
            try { await GrainCallRetry.RunAsync(async () => { await Grain(key).Check(manifest); return true; }); return (key.Cluster, null); }
            catch (RolloutCommandException ex) { return (key.Cluster, ex.ToRpc(key.Cluster)); }
        }));
        if (refusals.Where(r => r.Error is not null).Select(r => (r.Cluster, r.Error!)).ToList() is { Count: > 0 } refused)
            throw CommandErrors.InEveryCluster(refused);
        return await RunAsync(manifest.Name, ns, keys, grain => grain.Apply(manifest));
    }

    public override Task<RolloutReply> GetRollout(RolloutRequest request, ServerCallContext context) =>
        RunAsync(context, null, request.Name, request.Namespace, request.Target, g => g.Get(), withPods: true);

    public override async Task<ListRolloutsReply> ListRollouts(ListRolloutsRequest request, ServerCallContext context)
    {
        RequestNames.Namespace(request.Namespace);
        var clusters = await _targets.ResolveAsync(request.Target);
        var keys = (await _grains.GetGrain<IFleetDirectoryGrain>(0).ListRollouts())
            .Where(k => clusters.Contains(k.Cluster) && (string.IsNullOrEmpty(request.Namespace) || k.Namespace == request.Namespace))
            .Where(_access.MayGetRollout(context))
            .OrderBy(k => k.Namespace, StringComparer.Ordinal).ThenBy(k => k.Name, StringComparer.Ordinal).ThenBy(k => k.Cluster, StringComparer.Ordinal)
            .ToList();
        var snapshots = await Task.WhenAll(keys.Select(k => GrainCallRetry.RunAsync(() => Grain(k).Get())));
        var reply = new ListRolloutsReply();
        reply.Rollouts.AddRange(snapshots.Where(s => s.Exists).Select(s => s.ToMessage()));
        return reply;
    }

    public override async Task WatchRollout(RolloutRequest request, IServerStreamWriter<RolloutReply> responseStream, ServerCallContext context)
    {
        var ns = FirstNonEmpty(request.Namespace, "default");
        var keys = _access.Readable(context, await KeysAsync(request.Name, ns, request.Target));
        var client = ClientIdentity.Of(context);
        using var slot = _watches.TryOpen(client) ?? throw new RpcException(new Status(StatusCode.ResourceExhausted,
            $"{client} has {_watches.MaxPerClient} open watches, the limit ({ManifestLimits.Key("MaxWatchesPerClient")}): close one first"));
        // The slot is free as soon as the client goes away, not only once the long polls below have returned.
        using var release = context.CancellationToken.Register(slot.Dispose);
        var first = await Task.WhenAll(keys.Select(k => GrainCallRetry.RunAsync(() => Grain(k).Get())));
        await responseStream.WriteAsync(Reply(request.Name, ns, await Task.WhenAll(first.Select(WithPodsAsync))));

        // One long-poll loop per cluster; a single writer serialises them onto the stream.
        var changes = System.Threading.Channels.Channel.CreateUnbounded<ClusterRollout>();
        var ct = context.CancellationToken;
        var loops = first.Select(snapshot => Task.Run(async () =>
        {
            var version = snapshot.Version;
            while (!ct.IsCancellationRequested)
            {
                foreach (var change in await GrainCallRetry.RunAsync(() => Grain(snapshot.Key).ChangesSince(version, WatchPoll), ct))
                {
                    version = change.Version;
                    await changes.Writer.WriteAsync(await WithPodsAsync(change), ct);
                }
            }
        }, ct)).ToList();

        try
        {
            await foreach (var change in changes.Reader.ReadAllAsync(ct))
                await responseStream.WriteAsync(Reply(request.Name, ns, [change]), ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // the client went away
        }
        await Task.WhenAll(loops.Select(l => l.ContinueWith(_ => { }, TaskScheduler.Default)));
    }

    public override Task<RolloutReply> PromoteRollout(PromoteRolloutRequest request, ServerCallContext context) =>
        RunAsync(context, nameof(PromoteRollout), request.Name, request.Namespace, request.Target, g => g.Promote(request.Full));

    public override Task<RolloutReply> AbortRollout(RolloutRequest request, ServerCallContext context) =>
        RunAsync(context, nameof(AbortRollout), request.Name, request.Namespace, request.Target, g => g.Abort());

    public override Task<RolloutReply> RetryRollout(RolloutRequest request, ServerCallContext context) =>
        RunAsync(context, nameof(RetryRollout), request.Name, request.Namespace, request.Target, g => g.Retry());

    public override Task<RolloutReply> PauseRollout(RolloutRequest request, ServerCallContext context) =>
        RunAsync(context, nameof(PauseRollout), request.Name, request.Namespace, request.Target, g => g.Pause());

    public override Task<RolloutReply> ResumeRollout(RolloutRequest request, ServerCallContext context) =>
        RunAsync(context, nameof(ResumeRollout), request.Name, request.Namespace, request.Target, g => g.Resume());

    public override Task<RolloutReply> SetImage(SetImageRequest request, ServerCallContext context)
    {
        if (string.IsNullOrWhiteSpace(request.Container)) throw CommandErrors.Invalid("container", "must not be empty");
        if (string.IsNullOrWhiteSpace(request.Image)) throw CommandErrors.Invalid("image", "must not be empty");
        return RunAsync(context, nameof(SetImage), request.Name, request.Namespace, request.Target, g => g.SetImage(request.Container, request.Image));
    }

    public override Task<RolloutReply> UndoRollout(UndoRolloutRequest request, ServerCallContext context)
    {
        if (request.ToRevision < 0) throw CommandErrors.Invalid("to_revision", "must not be negative");
        return RunAsync(context, nameof(UndoRollout), request.Name, request.Namespace, request.Target,
            g => g.Undo(request.ToRevision == 0 ? null : request.ToRevision));
    }

    public override Task<RolloutReply> DeleteRollout(RolloutRequest request, ServerCallContext context) =>
        RunAsync(context, nameof(DeleteRollout), request.Name, request.Namespace, request.Target, g => g.Delete());

    public override async Task<ListClustersReply> ListClusters(ListClustersRequest request, ServerCallContext context)
    {
        var clusters = await _grains.GetGrain<IFleetDirectoryGrain>(0).ListClusters(probe: true);
        var reply = new ListClustersReply();
        var mayGet = _access.MayGetCluster(context);
        reply.Clusters.AddRange(clusters
            .Where(c => c.HasLabels(request.Selector) && mayGet(c.Name))
            .Select(c => c.ToMessage()));
        return reply;
    }

    /// <summary>A command (<paramref name="method"/> names the gRPC method, for its policy action) or, without one, a read.</summary>
    private async Task<RolloutReply> RunAsync(ServerCallContext context, string? method, string name, string ns, Target? target,
        Func<IRolloutGrain, Task<RolloutSnapshot>> command, bool withPods = false)
    {
        ns = FirstNonEmpty(ns, "default");
        var keys = await KeysAsync(name, ns, target);
        if (method is null) keys = _access.Readable(context, keys);
        else _access.Authorize(context, RbacActions.MutatingMethods[method], keys);
        return await RunAsync(name, ns, keys, command, withPods);
    }

    private async Task<IReadOnlyList<RolloutKey>> KeysAsync(string name, string ns, Target? target)
    {
        RequestNames.RolloutName(name);
        RequestNames.Namespace(ns);
        return (await _targets.ResolveAsync(target)).Select(c => new RolloutKey(c, ns, name)).ToList();
    }

    /// <summary>
    /// Runs the command in every cluster at once. A cluster that fails gets an error entry; only when
    /// every cluster fails does the call itself fail, with the first cluster's status code.
    /// </summary>
    private async Task<RolloutReply> RunAsync(
        string name, string ns, IReadOnlyList<RolloutKey> keys, Func<IRolloutGrain, Task<RolloutSnapshot>> command, bool withPods = false)
    {
        var results = await Task.WhenAll(keys.Select(async Task<(RolloutKey Key, ClusterRollout Message, RpcException? Error)> (key) =>
        {
            try
            {
                // The pod list is independent of the command's snapshot: read both at once.
                var pods = withPods ? PodsAsync(key) : Task.FromResult(PodList.Empty);
                var snapshot = await GrainCallRetry.RunAsync(() => command(Grain(key)));
                return (key, snapshot.ToMessage().WithPods(await pods), null);
            }
            catch (RolloutCommandException ex)
            {
                return (key, SnapshotMapping.Failed(key, ex.Message), ex.ToRpc(key.Cluster));
            }
            catch (Exception ex) when (ex is TimeoutException or OrleansException)
            {
                _logger.LogWarning("Rollout {Rollout} in cluster {Cluster}: {Error}", key.Name, key.Cluster, ex.Message);
                var error = new RpcException(new Status(StatusCode.Unavailable, $"cluster {key.Cluster}: {ex.Message}"));
                return (key, SnapshotMapping.Failed(key, ex.Message), error);
            }
        }));
        if (results.All(r => r.Error is not null)) throw CommandErrors.InEveryCluster(results.Select(r => (r.Key.Cluster, r.Error!)).ToList());
        return Reply(name, ns, results.Select(r => r.Message));
    }

    private async Task<ClusterRollout> WithPodsAsync(RolloutSnapshot snapshot) =>
        snapshot.ToMessage().WithPods(snapshot.Exists && snapshot.ReplicaSets.Count > 0 ? await PodsAsync(snapshot.Key) : PodList.Empty);

    /// <summary>
    /// The rollout's pods: pods only decorate the tree, so failing to get them never fails the call, but the failure is
    /// logged and travels in the cluster's entry (<c>pods_error</c>) for rolloutctl to show.
    /// </summary>
    private async Task<PodList> PodsAsync(RolloutKey key)
    {
        PodList list;
        try
        {
            list = await GrainCallRetry.RunAsync(() => Grain(key).Pods());
        }
        catch (Exception ex) when (ex is TimeoutException or OrleansException)
        {
            list = new PodList { Error = ex.Message };
        }
        if (list.Error is { } error)
            _logger.LogWarning("Pods of rollout {Rollout} in cluster {Cluster} could not be listed: {Error}", key.Name, key.Cluster, error);
        return list;
    }

    private static RolloutReply Reply(string name, string ns, IEnumerable<ClusterRollout> clusters)
    {
        var reply = new RolloutReply { Name = name, Namespace = ns };
        reply.Clusters.AddRange(clusters);
        return reply;
    }

    private IRolloutGrain Grain(RolloutKey key) => _grains.GetGrain<IRolloutGrain>(key.ToString());

    private static string FirstNonEmpty(params string?[] values) => values.First(v => !string.IsNullOrWhiteSpace(v))!;
}
