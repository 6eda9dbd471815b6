namespace Coordinator.Benchmarks;

/// <summary>
/// The garbage collections of this process over a measured phase: every pause stops the silo's threads, and a step
/// whose pause end or write falls into one is late by that much.
/// </summary>
internal sealed class GcPauses
{
    private TimeSpan _pauseAtStart;
    private int[] _countsAtStart = [];
    private long _allocatedAtStart;

    public TimeSpan PauseTotal { get; private set; }

    /// <summary>Bytes this process allocated over the phase: what fills generation 0 and so sets how often it is collected.</summary>
    public long Allocated { get; private set; }

    /// <summary>Mean pause per collection (every collection counts as a gen-0 one); the longest is not known from totals.</summary>
    public double MeanPauseMs => Collections.Length == 0 || Collections[0] == 0 ? 0 : PauseTotal.TotalMilliseconds / Collections[0];

    /// <summary>Collections of generation 0, 1 and 2 (a gen-1 collection also counts as gen 0, as the runtime counts).</summary>
    public int[] Collections { get; private set; } = [];

    public static GcPauses Start() => new()
    {
        _pauseAtStart = GC.GetTotalPauseDuration(), _countsAtStart = Counts(), _allocatedAtStart = GC.GetTotalAllocatedBytes(),
    };

    public GcPauses Stop()
    {
        PauseTotal = GC.GetTotalPauseDuration() - _pauseAtStart;
        Allocated = GC.GetTotalAllocatedBytes() - _allocatedAtStart;
        var counts = Counts();
        Collections = [.. counts.Select((n, gen) => n - _countsAtStart[gen])];
        return this;
    }

    private static int[] Counts() => [GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2)];
}
