using Coordinator.Domain.Hashing;
using Coordinator.Domain.State;

namespace Coordinator.Domain.Planning;

/// <summary>Value comparison of statuses (records holding immutable arrays compare those by reference).</summary>
public static class StatusComparer
{
    /// <summary>
    /// Equal records are equal statuses (a pass that changes nothing keeps the status's arrays, so record equality,
    /// which compares them by reference, usually answers); only records that differ are compared by their JSON, which
    /// looks into the arrays. Every planner pass asks this, and writing two statuses as JSON is the dear part.
    /// </summary>
    public static bool AreEqual(RolloutStatus a, RolloutStatus b) => a == b || JsonForm.AreEqual(a, b);
}
