using Coordinator.Domain.Hashing;
using Coordinator.Domain.State;

namespace Coordinator.Domain.Planning;

/// <summary>Value comparison of statuses (records holding immutable arrays compare those by reference).</summary>
public static class StatusComparer
{
    public static bool AreEqual(RolloutStatus a, RolloutStatus b) => JsonForm.AreEqual(a, b);
}
