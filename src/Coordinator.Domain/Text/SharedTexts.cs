namespace Coordinator.Domain.Text;

/// <summary>
/// One instance of the texts the silo makes itself and keeps for every Rollout: Event and condition messages (kept for
/// 30 Events and in every snapshot), a spec's JSON in the grain state. A release writes the same messages in every namespace and
/// cluster that runs it: a heap dump of 10,000 Rollouts after an update held 10,000 copies of each (~50 MB), and as many
/// copies of the spec's JSON (14 MB). A table of its own, so that what the clusters send does not evict them
/// (<see cref="SharedStrings"/>).
/// </summary>
public static class SharedTexts
{
    /// <summary>At most 4,096 texts of at most 16,384 characters: a spec larger than that is kept as it is.</summary>
    private static readonly StringTable Table = new(1 << 12, 16 * 1024);

    /// <summary><paramref name="text"/>, or the equal instance another caller shared recently.</summary>
    public static string Share(string text) => Table.Share(text);
}
