using Coordinator.Abstractions;
using Coordinator.Domain.Actions;
using Coordinator.Domain.Ports;

namespace Coordinator.Grains.Rollouts;

public sealed partial class RolloutGrain
{
    /// <summary>The user whose command runs now (from <see cref="RequestedBy"/>); null in reconciles that timers and watches start.</summary>
    private string? _requester;

    /// <summary>"promote requested by alice": goes out with the command's first reconcile, before the Events it causes.</summary>
    private EmitEvent? _commandEvent;

    /// <summary>
    /// Runs a user command with its requester noted, so that the rollout's history and every Event the command causes
    /// name who asked. Commands never interleave with each other or with reconciles, so a field is enough.
    /// </summary>
    private async Task<RolloutSnapshot> AsCommandAsync(string command, Func<Task<RolloutSnapshot>> run)
    {
        _requester = RequestedBy.Current;
        _commandEvent = _requester is { } user ? RolloutEvents.CommandRequested(command, user) : null;
        try
        {
            return await run();
        }
        finally
        {
            (_requester, _commandEvent) = (null, null);
        }
    }

    /// <summary>Records the pending command Event; true when there was one (its record is not saved yet).</summary>
    private bool RecordCommandEvent()
    {
        if (_commandEvent is not { } asked) return false;
        _commandEvent = null;
        RecordEvent(asked, _time.GetUtcNow());
        return true;
    }

    private EmitEvent Attributed(EmitEvent emitted) =>
        _requester is { } user && emitted.RequestedBy is null ? emitted with { RequestedBy = user } : emitted;
}
