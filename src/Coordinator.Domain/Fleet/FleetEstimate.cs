using Coordinator.Domain.Planning;
using Coordinator.Domain.State;

namespace Coordinator.Domain.Fleet;

/// <summary>One wave's share of a <see cref="FleetEstimate"/>.</summary>
public sealed record WaveEstimate(string Name, TimeSpan Duration);

/// <summary>
/// How long a plan should take, for the plan preview. The model, deliberately simple (every cluster alike, nothing fails):
/// <list type="bullet">
/// <item>one cluster ≈ <c>perStep</c> for each <c>setWeight</c> step (at least one: a Rollout without steps still
/// shifts its traffic once) + the sum of its timed pauses. An indefinite pause (<c>pause: {}</c>) adds nothing but
/// waits for a promotion, so the estimate then reads "plus manual promotion".</item>
/// <item>a wave ≈ ⌈clusters / maxParallel⌉ rounds × one cluster + its bake time: clusters run <c>maxParallel</c> at a
/// time, a round taking as long as one cluster.</item>
/// <item>the run ≈ the sum of its waves, one after the other. Time waiting for approvals is not counted, nor the
/// fleet-wide budget of concurrent changes, which only other runs can make bind.</item>
/// </list>
/// </summary>
public sealed record FleetEstimate(IReadOnlyList<WaveEstimate> Waves, TimeSpan Total, bool NeedsManualPromotion)
{
    public static FleetEstimate Estimate(FleetPlan plan, RolloutSpec rolloutSpec, TimeSpan perStep)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(rolloutSpec);
        var (cluster, indefinite) = PerCluster(rolloutSpec, perStep);
        var waves = plan.Waves
            .Select(w => new WaveEstimate(w.Name, w.Clusters.Count == 0 ? TimeSpan.Zero : Rounds(w) * cluster + w.BakeTime))
            .ToList();
        return new FleetEstimate(waves, waves.Aggregate(TimeSpan.Zero, (total, w) => total + w.Duration), indefinite);
    }

    /// <summary>One cluster's canary: its setWeight steps at <paramref name="perStep"/> each, plus its timed pauses.</summary>
    public static (TimeSpan Duration, bool IndefinitePause) PerCluster(RolloutSpec rolloutSpec, TimeSpan perStep)
    {
        ArgumentNullException.ThrowIfNull(rolloutSpec);
        var steps = RolloutDefaults.GetSteps(rolloutSpec);
        var weightSteps = Math.Max(1, steps.Count(s => s.SetWeight is not null));
        var pauses = steps.Where(s => s.Pause is not null).Select(s => RolloutDefaults.GetPauseDurationSeconds(s.Pause!)).ToList();
        var paused = TimeSpan.FromSeconds(pauses.Sum(seconds => Math.Max(0L, seconds ?? 0)));
        return (weightSteps * perStep + paused, pauses.Any(seconds => seconds is null));
    }

    /// <summary><c>about 4m30s</c>, or <c>about 4m30s plus manual promotion</c>.</summary>
    public override string ToString() => $"about {GoDuration.Format(Total)}{(NeedsManualPromotion ? " plus manual promotion" : "")}";

    private static int Rounds(PlannedWave wave) => (wave.Clusters.Count + Math.Max(1, wave.MaxParallel) - 1) / Math.Max(1, wave.MaxParallel);
}
