using Coordinator.KubeSim.Api;
using Coordinator.KubeSim.Faults;
using Coordinator.KubeSim.Store;

namespace Coordinator.KubeSim.Controllers;

/// <summary>
/// Wires one cluster's store changes to its controllers: every change enqueues the objects whose reconcile
/// depends on it (the Deployment itself, the owner of a ReplicaSet or pod), new pods get a readiness timer, and a change
/// of the unhealthy-images fault re-evaluates running pods.
/// </summary>
internal sealed class ClusterControllers
{
    private readonly ObjectStore _store;
    private readonly TimeSpan _podReadyDelay;
    private readonly ControllerQueue _queue;
    private readonly DeploymentController _deployments;
    private readonly ReplicaSetController _replicaSets;
    private readonly PodLifecycle _pods;
    private readonly ServiceAccountTokenController _tokens;

    public ClusterControllers(ObjectStore store, TimeSpan podReadyDelay, ClusterFaults faults, Func<string, string, string> mintToken)
    {
        _tokens = new ServiceAccountTokenController(store, mintToken);
        _store = store;
        _podReadyDelay = podReadyDelay;
        var events = new EventRecorder(store);
        _deployments = new DeploymentController(store, events);
        _replicaSets = new ReplicaSetController(store, events);
        _pods = new PodLifecycle(store, faults);
        _queue = new ControllerQueue(Process);
        store.Changed = OnChanged;
        faults.UnhealthyImagesChanged += RecheckRunningPods;
    }

    public Task WhenIdleAsync() => _queue.WhenIdleAsync();

    private void OnChanged(WatchRecord change)
    {
        var o = change.Object;
        // A workload needs its own reconcile only for a spec it has not observed yet (or when it appears);
        // metadata-only changes and the controllers' own status writes don't, which keeps PATCH-heavy load cheap.
        var unobserved = change.Kind == WatchEventKind.Added || o.Generation != o.ObservedGeneration;
        if (o.Type == ResourceCatalog.Deployments)
        {
            if (unobserved && change.Kind != WatchEventKind.Deleted) _queue.Enqueue(new WorkItem(o.Type, o.Namespace, o.Name));
        }
        else if (o.Type == ResourceCatalog.ReplicaSets)
        {
            if (unobserved && change.Kind != WatchEventKind.Deleted) _queue.Enqueue(new WorkItem(o.Type, o.Namespace, o.Name));
            EnqueueOwner(o, "Deployment", ResourceCatalog.Deployments);
        }
        else if (o.Type == ResourceCatalog.Pods)
        {
            EnqueueOwner(o, "ReplicaSet", ResourceCatalog.ReplicaSets);
            if (change.Kind == WatchEventKind.Added) _ = MarkReadyLaterAsync(o.Namespace, o.Name);
        }
        else if (o.Type == ResourceCatalog.Secrets && change.Kind != WatchEventKind.Deleted)
        {
            if (ServiceAccountTokenController.NeedsToken(JsonFields.ParseObject(o.Json))) _queue.Enqueue(new WorkItem(o.Type, o.Namespace, o.Name));
        }
        else if (o.Type == ResourceCatalog.ServiceAccounts && change.Kind == WatchEventKind.Added)
        {
            // Token Secrets created before their ServiceAccount get their token now.
            foreach (var secret in _store.List(ResourceCatalog.Secrets, o.Namespace, null, null, out _))
                _queue.Enqueue(new WorkItem(secret.Type, secret.Namespace, secret.Name));
        }
    }

    private void EnqueueOwner(StoredObject o, string kind, ResourceType ownerType)
    {
        if (o.ControllerOwnerKind == kind && o.ControllerOwnerName != null)
            _queue.Enqueue(new WorkItem(ownerType, o.Namespace, o.ControllerOwnerName));
    }

    /// <summary>
    /// The unhealthy-images fault changed: running pods re-evaluate their readiness (a probe starts or stops failing).
    /// Pods still waiting for their readiness delay are left to their own timer.
    /// </summary>
    private void RecheckRunningPods()
    {
        foreach (var pod in _store.List(ResourceCatalog.Pods, null, null, null, out _))
        {
            if (JsonFields.Str(JsonFields.ParseObject(pod.Json)["status"], "phase") == "Running")
                _queue.Enqueue(new WorkItem(pod.Type, pod.Namespace, pod.Name));
        }
    }

    private async Task MarkReadyLaterAsync(string ns, string name)
    {
        if (_podReadyDelay > TimeSpan.Zero) await Task.Delay(_podReadyDelay, _store.Time).ConfigureAwait(false);
        _queue.Enqueue(new WorkItem(ResourceCatalog.Pods, ns, name));
    }

    private void Process(WorkItem item)
    {
        if (item.Type == ResourceCatalog.Deployments) _deployments.Reconcile(item.Namespace, item.Name);
        else if (item.Type == ResourceCatalog.ReplicaSets) _replicaSets.Reconcile(item.Namespace, item.Name);
        else if (item.Type == ResourceCatalog.Pods) _pods.Reconcile(item.Namespace, item.Name);
        else if (item.Type == ResourceCatalog.Secrets) _tokens.Reconcile(item.Namespace, item.Name);
    }
}
