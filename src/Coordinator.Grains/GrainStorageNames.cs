namespace Coordinator.Grains;

/// <summary>Names of the Orleans providers the grains need; the silo registers them.</summary>
public static class GrainStorageNames
{
    /// <summary>Grain storage for rollout and fleet state.</summary>
    public const string Rollouts = "rollouts";
}
