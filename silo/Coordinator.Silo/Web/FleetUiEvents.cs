using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Threading.Channels;
using Coordinator.Abstractions;
using Coordinator.Grpc.Security;

namespace Coordinator.Silo.Web;

/// <summary>
/// The live feed of one fleet page: a <c>fleet</c> event whenever the FleetRollout changes and a <c>rollout</c> event
/// whenever one of its clusters' Rollouts does (with its pods), from the grains' long polls (<c>ChangesSince</c>), the
/// same source as the gRPC watches. The stream ends when the FleetRollout is deleted; the page reconnects otherwise.
/// </summary>
internal static class FleetUiEvents
{
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(10);

    public static async IAsyncEnumerable<SseItem<string>> StreamAsync(
        string name, Caller caller, IGrainFactory grains, UiAccess ui, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var ct = stop.Token;
        var changes = Channel.CreateUnbounded<Update>();
        var fleet = grains.GetGrain<IFleetRolloutGrain>(name);
        var first = await fleet.Get();
        var watched = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            yield return FleetItem(first, ui, caller);
            if (!first.Exists) yield break;
            _ = WatchFleetAsync(fleet, first.Version, changes.Writer, ui, caller, ct);
            WatchNewClusters(first, watched, grains, ui, caller, changes.Writer, ct);
            await foreach (var update in changes.Reader.ReadAllAsync(ct))
            {
                yield return update.Item;
                if (update.Fleet is not { } snapshot) continue;
                if (!snapshot.Exists) yield break;
                WatchNewClusters(snapshot, watched, grains, ui, caller, changes.Writer, ct);
            }
        }
        finally
        {
            await stop.CancelAsync();
        }
    }

    public static async Task<RolloutView> RolloutViewAsync(IGrainFactory grains, UiAccess ui, Caller caller, RolloutKey key)
    {
        var grain = grains.GetGrain<IRolloutGrain>(key.ToString());
        var pods = grain.Pods();
        var snapshot = await grain.Get();
        return new RolloutView(snapshot, snapshot.Exists ? await pods : PodList.Empty, ui.RolloutActionsOf(caller, key));
    }

    private static SseItem<string> FleetItem(FleetSnapshot snapshot, UiAccess ui, Caller caller) =>
        new(JsonSerializer.Serialize(new FleetView(snapshot, ui.FleetActionsOf(caller, snapshot.Name)), FleetUi.Json), "fleet");

    private static async Task WatchFleetAsync(IFleetRolloutGrain fleet, long version, ChannelWriter<Update> writer, UiAccess ui, Caller caller,
        CancellationToken ct)
    {
        try
        {
            while (!ct.IsCancellationRequested)
            {
                foreach (var change in await fleet.ChangesSince(version, Poll).WaitAsync(ct))
                {
                    version = change.Version;
                    await writer.WriteAsync(new Update(FleetItem(change, ui, caller), change), ct);
                }
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The page sees the stream end and connects again.
            writer.TryComplete(ex);
        }
        catch (OperationCanceledException)
        {
            // the page went away
        }
    }

    /// <summary>Starts a watch on every cluster of the run's waves not watched yet whose Rollout the user may read.</summary>
    private static void WatchNewClusters(FleetSnapshot snapshot, HashSet<string> watched, IGrainFactory grains, UiAccess ui, Caller caller,
        ChannelWriter<Update> writer, CancellationToken ct)
    {
        if (snapshot.RolloutName.Length == 0) return;
        foreach (var cluster in snapshot.Waves.SelectMany(w => w.Clusters).Select(c => c.Cluster))
        {
            var key = new RolloutKey(cluster, snapshot.RolloutNamespace, snapshot.RolloutName);
            if (!ui.MayGetRollout(caller, key) || !watched.Add(cluster)) continue;
            _ = WatchRolloutAsync(grains, key, writer, ui, caller, ct);
        }
    }

    private static async Task WatchRolloutAsync(IGrainFactory grains, RolloutKey key, ChannelWriter<Update> writer, UiAccess ui, Caller caller,
        CancellationToken ct)
    {
        var grain = grains.GetGrain<IRolloutGrain>(key.ToString());
        try
        {
            var view = await RolloutViewAsync(grains, ui, caller, key);
            await writer.WriteAsync(new Update(RolloutItem(view), null), ct);
            var version = view.Rollout.Version;
            while (!ct.IsCancellationRequested)
            {
                var changes = await grain.ChangesSince(version, Poll).WaitAsync(ct);
                if (changes.Count == 0) continue;
                version = changes[^1].Version;
                // Only the newest matters to the page; the pods are read once for it.
                var latest = changes[^1];
                var pods = latest.Exists ? await grain.Pods().WaitAsync(ct) : PodList.Empty;
                await writer.WriteAsync(new Update(RolloutItem(new RolloutView(latest, pods, ui.RolloutActionsOf(caller, key))), null), ct);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            writer.TryComplete(ex);
        }
        catch (OperationCanceledException)
        {
            // the page went away
        }
    }

    private static SseItem<string> RolloutItem(RolloutView view) => new(JsonSerializer.Serialize(view, FleetUi.Json), "rollout");

    /// <summary>An event for the page, and the fleet snapshot it carries (so new clusters get watched) when it is a fleet event.</summary>
    private sealed record Update(SseItem<string> Item, FleetSnapshot? Fleet);
}
