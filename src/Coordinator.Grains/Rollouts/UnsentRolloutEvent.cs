using Coordinator.Domain.Actions;

namespace Coordinator.Grains.Rollouts;

/// <summary>
/// An Event recorded in the Rollout's saved state and not yet known to be in the cluster. It is sent only once the
/// state that records it is durable (so a successor never decides, and sends, the same Event again), and sent again
/// by a successor activation when the one that recorded it died first (its number makes that resend idempotent).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record UnsentRolloutEvent(
    [property: Id(0)] long Sequence,
    [property: Id(1)] string Type,
    [property: Id(2)] string Reason,
    [property: Id(3)] string Message,
    [property: Id(4)] string? RequestedBy)
{
    public static UnsentRolloutEvent Of(long sequence, EmitEvent emitted) =>
        new(sequence, emitted.Type.ToString(), emitted.Reason, emitted.Message, emitted.RequestedBy);

    public EmitEvent ToEmitEvent() => new(Enum.Parse<RolloutEventType>(Type), Reason, Message) { RequestedBy = RequestedBy };
}
