namespace Coordinator.Benchmarks;

/// <summary>
/// The garbage collections of this process over a measured phase: every pause stops the silo's threads, and a step
/// whose pause end or write falls into one is late by that much.
/// </summary>
internal sealed class GcPauses
{
    private TimeSpan _pauseAtStart;
    private int[] _countsAtStart = [];

    public TimeSpan PauseTotal { get; private set; }

    /// <summary>Collections of generation 0, 1 and 2 (a gen-1 collection also counts as gen 0, as the runtime counts).</summary>
    public int[] Collections { get; private set; } = [];

    public static GcPauses Start() => new() { _pauseAtStart = GC.GetTotalPauseDuration(), _countsAtStart = Counts() };

    public GcPauses Stop()
    {
        PauseTotal = GC.GetTotalPauseDuration() - _pauseAtStart;
        var counts = Counts();
        Collections = [.. counts.Select((n, gen) => n - _countsAtStart[gen])];
        return this;
    }

    private static int[] Counts() => [GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2)];
}
