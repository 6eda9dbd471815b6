extern alias CoordinatorKubernetes;

using System.Collections.Concurrent;
using System.Diagnostics;
using Coordinator.Grains.Rollouts;
using CoordinatorKubernetes::Coordinator.Kubernetes.Rollouts;
using Orleans;
using Orleans.Runtime;

namespace Coordinator.Benchmarks.Failover;

/// <summary>
/// What the benchmark sees after the kill without calling a rollout grain itself (a call would activate it and hide how
/// long the silo takes to bring it back): the first grain call each rollout receives on a live silo (the activation's
/// first work — a reminder tick or a watch wake-up), and the first writes each rollout makes, by silo.
/// One instance, shared by both silos.
/// </summary>
internal sealed class FailoverProbe
{
    private readonly ConcurrentDictionary<string, FirstCall> _firstCalls = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Cluster, string Namespace), DateTimeOffset> _firstWrite = new();
    private readonly ConcurrentDictionary<(string Cluster, string Namespace), DateTimeOffset> _firstTrafficWrite = new();
    private readonly ConcurrentQueue<AcknowledgedWrite> _writes = new();
    private readonly ConcurrentQueue<Call> _calls = new();
    private readonly ConcurrentQueue<Call> _reconciles = new();
    private readonly ConcurrentQueue<(DateTimeOffset At, long Pending, int Threads, TimeSpan GcPause, int Gen2)> _threadPool = new();
    private volatile bool _armed;
    private ActivityListener? _listener;

    public sealed record FirstCall(DateTimeOffset At, string Method, SiloAddress Silo);

    /// <summary>A call into a rollout grain after the kill: when its turn started and ended.</summary>
    public sealed record Call(string Grain, string Method, DateTimeOffset Started, DateTimeOffset Ended);

    /// <summary>Every call into a rollout grain after the kill (to explain the late ones).</summary>
    public IEnumerable<Call> Calls => _calls;

    /// <summary>Every reconcile (its span, whatever started it: a timer, a reminder, a call) after the kill.</summary>
    public IEnumerable<Call> Reconciles => _reconciles;

    /// <summary>The thread pool's queue and threads, sampled every 100 ms after the kill.</summary>
    public IEnumerable<(DateTimeOffset At, long Pending, int Threads, TimeSpan GcPause, int Gen2)> ThreadPoolSamples => _threadPool;

    /// <summary>Rollout grain key → its first call after the kill.</summary>
    public IReadOnlyDictionary<string, FirstCall> FirstCalls => _firstCalls;

    /// <summary>First acknowledged write of any kind (events included) after the kill, by a live silo.</summary>
    public IReadOnlyDictionary<(string Cluster, string Namespace), DateTimeOffset> FirstWrite => _firstWrite;

    /// <summary>First acknowledged VirtualService write (the step's traffic change) after the kill, by a live silo.</summary>
    public IReadOnlyDictionary<(string Cluster, string Namespace), DateTimeOffset> FirstTrafficWrite => _firstTrafficWrite;

    /// <summary>Every acknowledged write after the kill, in the order acknowledged (to explain the late ones).</summary>
    public IEnumerable<AcknowledgedWrite> Writes => _writes;

    /// <summary>The survivor's storage requests (Azurite) after the kill.</summary>
    public StorageRequestCounter Storage { get; } = new();

    /// <summary>From now on, calls and writes are recorded.</summary>
    public void Arm()
    {
        _armed = true;
        Storage.Arm(DateTimeOffset.UtcNow);
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Coordinator",
            Sample = (ref ActivityCreationOptions<ActivityContext> options) =>
                options.Name == "reconcile" ? ActivitySamplingResult.AllData : ActivitySamplingResult.None,
            ActivityStopped = activity =>
            {
                if (activity.OperationName != "reconcile") return;
                var grain = $"{activity.GetTagItem("coordinator.cluster")}/{activity.GetTagItem("k8s.namespace.name")}/{activity.GetTagItem("coordinator.rollout")}";
                var started = new DateTimeOffset(activity.StartTimeUtc, TimeSpan.Zero);
                _reconciles.Enqueue(new Call(grain, "reconcile", started, started + activity.Duration));
            },
        };
        ActivitySource.AddActivityListener(_listener);
        _ = SampleThreadPoolAsync();
    }

    private async Task SampleThreadPoolAsync()
    {
        for (var i = 0; i < 600 && _armed; i++)
        {
            _threadPool.Enqueue((DateTimeOffset.UtcNow, ThreadPool.PendingWorkItemCount, ThreadPool.ThreadCount, GC.GetTotalPauseDuration(), GC.CollectionCount(2)));
            await Task.Delay(100);
        }
        _listener?.Dispose();
    }

    public void Listen(ApiCallCounter counter) => counter.WriteAcknowledged += write =>
    {
        if (!_armed) return;
        var key = (write.Cluster, write.Namespace);
        _writes.Enqueue(write);
        _firstWrite.TryAdd(key, write.At);
        if (write.Operation == "virtualservice.update") _firstTrafficWrite.TryAdd(key, write.At);
    };

    internal async Task OnCallAsync(IIncomingGrainCallContext context, SiloAddress silo)
    {
        if (!_armed || context.Grain is not RolloutGrain)
        {
            await context.Invoke();
            return;
        }
        var started = DateTimeOffset.UtcNow;
        var grain = context.TargetId.Key.ToString()!;
        _firstCalls.TryAdd(grain, new FirstCall(started, context.MethodName, silo));
        try
        {
            await context.Invoke();
        }
        finally
        {
            _calls.Enqueue(new Call(grain, context.MethodName, started, DateTimeOffset.UtcNow));
        }
    }
}

/// <summary>Reports every call into a rollout grain to the <see cref="FailoverProbe"/>.</summary>
internal sealed class FailoverProbeFilter(FailoverProbe probe, ILocalSiloDetails silo) : IIncomingGrainCallFilter
{
    public Task Invoke(IIncomingGrainCallContext context) => probe.OnCallAsync(context, silo.SiloAddress);
}
