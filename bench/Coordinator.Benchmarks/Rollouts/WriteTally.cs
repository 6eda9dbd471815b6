extern alias CoordinatorKubernetes;

using System.Collections.Concurrent;
using CoordinatorKubernetes::Coordinator.Kubernetes.Rollouts;

namespace Coordinator.Benchmarks.Rollouts;

/// <summary>Acknowledged writes per operation (and per event reason) while it listens to the gateway.</summary>
internal sealed class WriteTally : IDisposable
{
    private readonly ApiCallCounter _counter;
    private readonly ConcurrentDictionary<string, int> _byOperation = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _eventsByReason = new(StringComparer.Ordinal);

    public WriteTally(ApiCallCounter counter)
    {
        _counter = counter;
        counter.WriteAcknowledged += OnWrite;
    }

    public IReadOnlyDictionary<string, int> ByOperation => _byOperation;

    public IReadOnlyDictionary<string, int> EventsByReason => _eventsByReason;

    /// <summary>Writes of the rollout's objects; neither Events nor the owner ConfigMap's status display.</summary>
    public int Objects => _byOperation.Where(p => p.Key is not ("event.create" or OwnerStatusOperation)).Sum(p => p.Value);

    /// <summary>Updates of the owner ConfigMap's data (phase, step, weights, revision): the status shown in the cluster.</summary>
    public int OwnerStatus => _byOperation.GetValueOrDefault(OwnerStatusOperation);

    private const string OwnerStatusOperation = "configmap.update";

    public int Events => _byOperation.GetValueOrDefault("event.create");

    public void Dispose() => _counter.WriteAcknowledged -= OnWrite;

    private void OnWrite(AcknowledgedWrite write)
    {
        _byOperation.AddOrUpdate(write.Operation, 1, (_, n) => n + 1);
        if (write.Operation == "event.create") _eventsByReason.AddOrUpdate(write.Name, 1, (_, n) => n + 1);
    }
}
