using Coordinator.Domain.Actions;
using Coordinator.Domain.Planning;
using Coordinator.Domain.State;

namespace Coordinator.Domain.Tests.Support;

/// <summary>
/// Plays the grain's loop against <see cref="FakeCluster"/> with a fake clock: Decide → apply → re-observe →
/// repeat until quiet (no actions, status kept). Every applied action is logged as one readable line.
/// </summary>
internal sealed class RolloutDriver
{
    public RolloutDriver(RolloutSpec? spec = null) => Spec = spec ?? Fixtures.SeedSpec;

    public FakeCluster Cluster { get; } = new();

    public RolloutSpec Spec { get; set; }

    public RolloutStatus Status { get; set; } = new();

    public List<string> Log { get; } = [];

    public Decision? Last { get; private set; }

    public DateTimeOffset Now
    {
        get => Cluster.Now;
        set => Cluster.Now = value;
    }

    /// <summary>True when the last decision had nothing to do and left the status as it was.</summary>
    public bool Quiet { get; private set; }

    /// <summary>One Decide, its actions applied, status taken.</summary>
    public Decision Step()
    {
        var decision = RolloutPlanner.Decide(Spec, Status, Cluster.Observe(), Now);
        foreach (var action in decision.Actions)
        {
            Cluster.Apply(action);
            Log.Add(Describe(action));
        }

        Quiet = decision.Actions.Count == 0 && StatusComparer.AreEqual(Status, decision.NewStatus);
        Status = decision.NewStatus;
        Last = decision;
        return decision;
    }

    /// <summary>Decides until quiet, as the grain does; then, if pods are pending and allowed, makes them ready and goes on.</summary>
    public void Settle(bool makePodsAvailable = true, int maxDecisions = 400)
    {
        for (var i = 0; i < maxDecisions; i++)
        {
            Step();
            if (!Quiet)
            {
                continue;
            }

            if (!makePodsAvailable || !Cluster.HasUnavailablePods)
            {
                return;
            }

            Cluster.MakeAllAvailable();
        }

        throw new InvalidOperationException("the planner did not settle: " + string.Join("\n", Log.TakeLast(20)));
    }

    /// <summary>Move the clock to the last decision's wake-up time and settle.</summary>
    public void AdvanceToWake()
    {
        Now = Last?.WakeAt ?? throw new InvalidOperationException("nothing to wake for");
        Settle();
    }

    public List<string> TakeLog()
    {
        var copy = Log.ToList();
        Log.Clear();
        return copy;
    }

    /// <summary>The log without the owner ConfigMap's status updates, for tests about other writes (OwnerTests cover those).</summary>
    public List<string> TakeLogExceptOwnerStatus() => [.. TakeLog().Where(line => !line.StartsWith("owner ", StringComparison.Ordinal))];

    public static string Describe(RolloutAction action) => action switch
    {
        CreateReplicaSet c => $"create {c.Name} rev {c.Revision}",
        ScaleReplicaSet s => $"scale {s.Name} {s.From}->{s.To}",
        AnnotateReplicaSet a => $"annotate {a.Name} {a.Key}={a.Value ?? "<removed>"}",
        DeleteReplicaSet d => $"delete {d.Name}",
        SwitchServiceSelector s => $"selector {s.Service} '{s.FromHash}'->'{s.ToHash}'",
        SetServiceAnnotation a => $"annotate-svc {a.Service} {a.Key}={a.Value ?? "<removed>"}",
        SetVirtualServiceWeights w => $"vs {w.VirtualService} {w.StableWeight}/{w.CanaryWeight}",
        ScaleDeployment s => $"scale-deployment {s.Deployment} {s.From}->{s.To}",
        WriteDeploymentTemplate w => $"write-template {w.Deployment}",
        EmitEvent e => $"{e.Type} {e.Reason}: {e.Message}",
        WriteOwnerConfigMap { Create: true } o => $"create-owner {o.Name}",
        WriteOwnerConfigMap o => $"owner {o.Data["phase"]} step {o.Data["step"]} weight {o.Data["canaryWeight"]} rev {o.Data["revision"]}",
        DeleteOwnerConfigMap o => $"delete-owner {o.Name}",
        AdoptReplicaSet a => $"adopt {a.Name}",
        SyncEphemeralMetadata m => $"metadata {m.ReplicaSet} {Observation.EphemeralMetadata.Format(m.Previous)}->{Observation.EphemeralMetadata.Format(m.Desired)}",
        EvictPod e => $"evict {e.Name}",
        _ => action.ToString() ?? "",
    };
}
