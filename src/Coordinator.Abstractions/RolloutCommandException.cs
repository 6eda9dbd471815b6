namespace Coordinator.Abstractions;

/// <summary>Why a command was refused; the gRPC layer maps each to its status code.</summary>
public enum CommandFailure
{
    /// <summary>The input is wrong (malformed manifest, invalid spec, bad image); nothing was changed.</summary>
    InvalidArgument,
    /// <summary>No such Rollout (or cluster, or container).</summary>
    NotFound,
    /// <summary>The command does not fit the Rollout's state (e.g. retry of a rollout that is not aborted).</summary>
    FailedPrecondition,
    /// <summary>The target cluster's API server could not be reached.</summary>
    Unavailable,
}

/// <summary>
/// A refused command. <see cref="Field"/> names the offending input (e.g. <c>spec.strategy.canary.steps[0].setWeight</c>)
/// so that callers can show it; messages never contain credentials.
/// </summary>
[GenerateSerializer]
public sealed class RolloutCommandException : Exception
{
    public RolloutCommandException(CommandFailure failure, string field, string message) : base(message)
    {
        Failure = failure;
        Field = field;
    }

    [Id(0)] public CommandFailure Failure { get; }

    [Id(1)] public string Field { get; }
}
