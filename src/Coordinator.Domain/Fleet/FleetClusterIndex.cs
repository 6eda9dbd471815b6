using System.Collections.Immutable;

namespace Coordinator.Domain.Fleet;

/// <summary>
/// Where the clusters of one <see cref="FleetRunState.Clusters"/> list are, by name and by (wave, state): the fleet's
/// loop asks "which clusters are progressing", "how many of wave 2 are Healthy" on every pass, and a run of 10,000
/// clusters must not be scanned for each answer. Immutable; a list with one cluster replaced gets its index from the
/// previous one in O(log n) (<see cref="With"/>).
/// </summary>
internal sealed class FleetClusterIndex
{
    private static readonly int StateCount = Enum.GetValues<FleetClusterState>().Length;

    /// <summary>Positions in the list, per wave and state: <c>[wave * StateCount + state]</c>, each in list order.</summary>
    private readonly ImmutableSortedSet<int>[] _byWaveAndState;

    private FleetClusterIndex(Dictionary<string, int> positions, ImmutableSortedSet<int>[] byWaveAndState)
    {
        Positions = positions;
        _byWaveAndState = byWaveAndState;
    }

    /// <summary>Names to positions; the same for every list of a run (a cluster never moves).</summary>
    public Dictionary<string, int> Positions { get; }

    private int Waves => _byWaveAndState.Length / StateCount;

    public static FleetClusterIndex Build(IReadOnlyList<FleetClusterRun> clusters)
    {
        var positions = new Dictionary<string, int>(clusters.Count, StringComparer.Ordinal);
        var waves = 0;
        for (var i = 0; i < clusters.Count; i++)
        {
            positions.TryAdd(clusters[i].Name, i);
            waves = Math.Max(waves, clusters[i].Wave + 1);
        }
        var builders = Enumerable.Range(0, waves * StateCount).Select(_ => ImmutableSortedSet.CreateBuilder<int>()).ToArray();
        for (var i = 0; i < clusters.Count; i++)
        {
            // A duplicate name is looked up at its first place only; it is still counted where it stands.
            builders[Slot(clusters[i].Wave, clusters[i].State)].Add(i);
        }
        return new FleetClusterIndex(positions, [.. builders.Select(b => b.ToImmutable())]);
    }

    /// <summary>The index of the list in which the cluster at <paramref name="position"/> went from <paramref name="before"/> to <paramref name="after"/>.</summary>
    public FleetClusterIndex With(int position, FleetClusterRun before, FleetClusterRun after)
    {
        if (before.Wave == after.Wave && before.State == after.State) return this;
        var sets = _byWaveAndState;
        if (after.Wave >= Waves)
        {
            sets = [.. sets, .. Enumerable.Repeat(ImmutableSortedSet<int>.Empty, (after.Wave + 1 - Waves) * StateCount)];
        }
        else
        {
            sets = (ImmutableSortedSet<int>[])sets.Clone();
        }
        var from = Slot(before.Wave, before.State);
        var to = Slot(after.Wave, after.State);
        sets[from] = sets[from].Remove(position);
        sets[to] = sets[to].Add(position);
        return new FleetClusterIndex(Positions, sets);
    }

    /// <summary>Positions of the clusters of <paramref name="wave"/> in <paramref name="state"/>, in list order.</summary>
    public ImmutableSortedSet<int> In(int wave, FleetClusterState state) =>
        wave >= 0 && wave < Waves ? _byWaveAndState[Slot(wave, state)] : ImmutableSortedSet<int>.Empty;

    /// <summary>Positions of the clusters in <paramref name="state"/>, wave by wave (list order for a list laid out by wave, as a run's is).</summary>
    public IEnumerable<int> In(FleetClusterState state)
    {
        for (var wave = 0; wave < Waves; wave++)
        {
            foreach (var position in _byWaveAndState[Slot(wave, state)]) yield return position;
        }
    }

    public int Count(int wave, FleetClusterState state) => In(wave, state).Count;

    public int Count(FleetClusterState state)
    {
        var count = 0;
        for (var wave = 0; wave < Waves; wave++) count += _byWaveAndState[Slot(wave, state)].Count;
        return count;
    }

    public int CountInWave(int wave)
    {
        var count = 0;
        for (var state = 0; state < StateCount; state++) count += In(wave, (FleetClusterState)state).Count;
        return count;
    }

    private static int Slot(int wave, FleetClusterState state) => wave * StateCount + (int)state;
}
