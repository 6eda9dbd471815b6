using System.Text.Json.Nodes;
using Coordinator.Domain.Actions;
using Coordinator.Domain.Observation;
using Coordinator.Domain.State;

namespace Coordinator.Domain.Planning;

/// <summary>
/// Everything one reconcile pass works on (Argo's <c>rolloutContext</c>, without the clients): the inputs, the
/// ReplicaSet classification (§3.2), the status being built and the actions planned so far.
/// </summary>
internal sealed class PassContext
{
    public PassContext(RolloutSpec spec, RolloutStatus status, ClusterObservation observed, DateTimeOffset now)
    {
        Spec = spec;
        Start = status;
        Status = status;
        Observed = observed;
        Now = now;
        Replicas = RolloutDefaults.GetReplicas(spec);
        Steps = RolloutDefaults.GetSteps(spec);
        Canary = spec.Strategy.Canary ?? new CanaryStrategy();
    }

    public RolloutSpec Spec { get; }

    /// <summary>The status as it was when the pass started (Argo's <c>rollout.Status</c>).</summary>
    public RolloutStatus Start { get; }

    /// <summary>The status being built (Argo's <c>newStatus</c>).</summary>
    public RolloutStatus Status { get; set; }

    public ClusterObservation Observed { get; }

    public DateTimeOffset Now { get; }

    /// <summary>N = spec.replicas with its default.</summary>
    public int Replicas { get; }

    public IReadOnlyList<CanaryStep> Steps { get; }

    public CanaryStrategy Canary { get; }

    public string RolloutName => Observed.RolloutName;

    public ObservedDeployment Deployment => Observed.Deployment!;

    public JsonObject Template => Deployment.Template;

    /// <summary>Hash of the desired ReplicaSet (from the Deployment template).</summary>
    public string DesiredHash { get; set; } = "";

    public ObservedReplicaSet? NewRS { get; set; }

    public ObservedReplicaSet? StableRS { get; set; }

    public IReadOnlyList<ObservedReplicaSet> OtherRSs { get; set; } = [];

    /// <summary>Whether the observed VirtualServices already carry this pass's desired weights (Istio has no
    /// verification API, so the re-observed object is our verification).</summary>
    public bool WeightsVerified { get; set; }

    public List<RolloutAction> Actions { get; } = [];

    public List<DateTimeOffset> WakeTimes { get; } = [];

    public bool IsAborted => Status.Abort;

    /// <summary>stableRS == currentPodHash (<c>rolloututil.IsFullyPromoted</c>).</summary>
    public bool IsFullyPromoted => Status.StableRS is not null && Status.StableRS == Status.CurrentPodHash;

    public int? CurrentStepIndex => Status.CurrentStepIndex;

    public CanaryStep? CurrentStep =>
        CurrentStepIndex is { } index && index >= 0 && index < Steps.Count ? Steps[index] : null;

    public void Add(RolloutAction action) => Actions.Add(action);

    public void WakeAt(DateTimeOffset instant) => WakeTimes.Add(instant);

    public ObservedService? StableService => Observed.FindService(Canary.StableService);

    public ObservedService? CanaryService => Observed.FindService(Canary.CanaryService);

    public static string? SelectedHash(ObservedService? service) =>
        service is not null && service.Selector.TryGetValue(ReplicaSetAnnotations.PodTemplateHashLabel, out var hash) ? hash : null;
}
