namespace Coordinator.Domain.State;

/// <summary>
/// One canary step. Argo's <c>CanaryStep</c> is a struct of optional members, exactly one of which should be set
/// (§1.3); we keep that shape (no class hierarchy) so the record persists as plain grain state. Only
/// setWeight, pause and setCanaryScale are executed; the others are parsed so validation can name them.
/// </summary>
public sealed record CanaryStep
{
    public int? SetWeight { get; init; }

    public PauseStep? Pause { get; init; }

    public SetCanaryScaleStep? SetCanaryScale { get; init; }

    /// <summary>Raw JSON of an <c>analysis</c> step (not executed).</summary>
    public string? Analysis { get; init; }

    /// <summary>Raw JSON of an <c>experiment</c> step (not executed).</summary>
    public string? Experiment { get; init; }

    /// <summary>Name of a <c>setHeaderRoute</c> step (not executed).</summary>
    public string? SetHeaderRoute { get; init; }

    /// <summary>Name of a <c>setMirrorRoute</c> step (not executed).</summary>
    public string? SetMirrorRoute { get; init; }

    /// <summary>Name of a <c>plugin</c> step (not executed).</summary>
    public string? Plugin { get; init; }
}

/// <summary><c>pause: {duration}</c>; no duration = indefinite pause.</summary>
public sealed record PauseStep
{
    public IntOrString? Duration { get; init; }
}

/// <summary><c>setCanaryScale</c>: one of replicas, weight or matchTrafficWeight.</summary>
public sealed record SetCanaryScaleStep
{
    public int? Replicas { get; init; }

    public int? Weight { get; init; }

    public bool MatchTrafficWeight { get; init; }
}
