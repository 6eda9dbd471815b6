namespace Coordinator.Grains.Fleet;

/// <summary>Fleet-wide limits (configuration section <c>Coordinator:Fleet</c>).</summary>
public sealed class FleetOptions
{
    /// <summary>
    /// Clusters changed by fleet runs at once, all FleetRollouts together (a cluster counts while its change or its revert
    /// is in progress). Each run's waves have their own maxParallel beneath it.
    /// </summary>
    public int MaxClustersInProgress { get; set; } = 50;
}
