namespace Coordinator.Domain.Fleet;

/// <summary>Something the fleet grain does to one cluster's Rollout, decided by <see cref="FleetPlanner"/>.</summary>
public abstract record FleetAction(string Cluster);

/// <summary>Write the template change to the cluster's Deployment (its Rollout then carries the canary).</summary>
public sealed record StartCluster(string Cluster) : FleetAction(Cluster);

/// <summary>Abort the cluster's Rollout: traffic back to its stable revision.</summary>
public sealed record AbortCluster(string Cluster) : FleetAction(Cluster);

/// <summary>Write the Deployment's previous template back.</summary>
public sealed record RevertCluster(string Cluster) : FleetAction(Cluster);

/// <summary>The planner's answer: the new run state, what to do now, when to look again, and why the run waits.</summary>
public sealed record FleetDecision(FleetRunState State, IReadOnlyList<FleetAction> Actions, DateTimeOffset? WakeAt, string Message);
