using Coordinator.Abstractions;
using Coordinator.Domain.Actions;
using Coordinator.Domain.Ports;
using Coordinator.Domain.Text;
using Microsoft.Extensions.Logging;

namespace Coordinator.Grains.Rollouts;

/// <summary>
/// The Rollout's Kubernetes Events, written once each. An Event is recorded in the state (numbered), goes out only after
/// that state is durable, in order and off the critical path, and is sent again by a successor when the activation that
/// recorded it died before knowing it was written. Sent before its record was durable, an Event could be decided again,
/// and sent twice, by a successor reading the older state; recorded and never sent, it would be lost.
/// </summary>
public sealed partial class RolloutGrain
{
    private Task _eventsInFlight = Task.CompletedTask;

    /// <summary>The highest sequence number this activation has handed to the sender.</summary>
    private long _eventsSentThrough = -1;

    /// <summary>
    /// Events recorded since the last save. A pass whose write failed saves them before its retry (with the status as it
    /// was: the pass's own status is not saved): they report writes that landed, and a number handed out and not saved
    /// would be handed out again, naming a different Event the cluster would then refuse as already written.
    /// </summary>
    private bool HasUnsavedEvents => _state.State.UnsentEvents is [.., var last] && last.Sequence > _eventsSentThrough;

    /// <summary>Records an Event (with the command's requester) for the next save to send.</summary>
    private void RecordEvent(EmitEvent emitted, DateTimeOffset now)
    {
        emitted = Attributed(emitted) with { Reason = SharedTexts.Share(emitted.Reason), Message = SharedTexts.Share(emitted.Message) };
        var state = _state.State;
        state.UnsentEvents.Add(UnsentRolloutEvent.Of(state.EventsRecorded++, emitted));
        // The oldest goes before the newest comes, so that a full list never grows its array (to twice the bound).
        if (state.Events.Count >= RolloutSnapshots.EventsInSnapshot) state.Events.RemoveRange(0, state.Events.Count - RolloutSnapshots.EventsInSnapshot + 1);
        state.Events.Add(new RolloutEventRecord(now, emitted.Type.ToString(), emitted.Reason, emitted.Message));
        RolloutMetrics.RecordEvent(_key, emitted.Type.ToString(), emitted.Reason);
        _logger.LogInformation("Event {Reason}: {Message}", emitted.Reason, emitted.Message);
    }

    /// <summary>
    /// Hands the recorded Events not yet handed over to the sender, which writes them one after another. Like client-go's
    /// event recorder, an Event the cluster refuses is logged and dropped, never retried into a duplicate.
    /// </summary>
    private void SendRecordedEvents()
    {
        var target = Target;
        foreach (var unsent in _state.State.UnsentEvents)
        {
            if (unsent.Sequence <= _eventsSentThrough) continue;
            _eventsSentThrough = unsent.Sequence;
            var previous = _eventsInFlight;
            _eventsInFlight = Task.Run(async () =>
            {
                await previous;
                try
                {
                    await _gateway.SendEventAsync(target, unsent.ToEmitEvent(), unsent.Sequence, CancellationToken.None);
                }
                catch (ClusterCallException ex)
                {
                    _logger.LogWarning("Event {Reason} could not be written: {Error}", unsent.Reason, ex.Message);
                }
            });
        }
    }

    /// <summary>Sends what the state just saved records, and waits for it; the next save forgets what went out.</summary>
    private async Task SendSavedEventsAsync()
    {
        SendRecordedEvents();
        var sentThrough = _eventsSentThrough;
        await _eventsInFlight;
        _state.State.UnsentEvents.RemoveAll(e => e.Sequence <= sentThrough);
    }
}
