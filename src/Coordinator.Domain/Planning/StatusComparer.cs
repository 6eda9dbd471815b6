using System.Text.Json;
using Coordinator.Domain.State;

namespace Coordinator.Domain.Planning;

/// <summary>Value comparison of statuses (records holding immutable arrays compare those by reference).</summary>
public static class StatusComparer
{
    public static bool AreEqual(RolloutStatus a, RolloutStatus b) =>
        JsonSerializer.Serialize(a) == JsonSerializer.Serialize(b);
}
