using static Coordinator.Benchmarks.BenchmarkSupport;

namespace Coordinator.Benchmarks.Rollouts;

/// <summary>
/// Where the step-lag tail comes from: the latest steps, each with when its pause ended (seconds into the update),
/// and what this process did while it waited (GC pause time, gen-2 collections, the thread-pool queue, the benchmark's
/// own poll); the steps due at the same instant as a late one (pauses end on whole seconds); and how the
/// late steps spread over the update, by second. Steps late together point at the process or the machine; steps late
/// alone, at their own Rollout. KubeSim's GC pauses come from its own process's samples when it runs there.
/// </summary>
internal static class LateSteps
{
    private const double LateMs = 100;

    public static void Report(IReadOnlyList<(DateTimeOffset At, double Lag, string Cluster)> samples, RuntimeSampler silo, RuntimeSampler? kubeSim,
        IReadOnlyList<(DateTimeOffset Start, DateTimeOffset End, int Rollouts)> polls, DateTimeOffset updateStarted)
    {
        double Seconds(DateTimeOffset at) => Math.Round((at - updateStarted).TotalSeconds, 2);
        var latest = samples.OrderByDescending(s => s.Lag).Take(30).Select(s =>
        {
            var pauseEnd = s.At - TimeSpan.FromMilliseconds(s.Lag);
            var (gcPause, gen2, queued) = silo.Between(pauseEnd, s.At);
            var (kubeSimGcPause, kubeSimGen2, _) = kubeSim?.Between(pauseEnd, s.At) ?? (double.NaN, 0, 0);
            return new
            {
                pause_end_s = Seconds(pauseEnd), lag_ms = Math.Round(s.Lag, 1), cluster = s.Cluster,
                gc_pause_ms = Math.Round(gcPause, 1), gen2, max_queued = queued,
                // the benchmark's own poll of the grains, if one ran meanwhile: its start and end, and how many it asked
                poll = polls.Where(p => p.Start < s.At && p.End > pauseEnd).Select(p => new { from_s = Seconds(p.Start), to_s = Seconds(p.End), p.Rollouts }).FirstOrDefault(),
                kubesim_gc_pause_ms = double.IsNaN(kubeSimGcPause) ? (double?)null : Math.Round(kubeSimGcPause, 1), kubesim_gen2 = kubeSimGen2,
            };
        }).ToList();
        var lateBySecond = samples.Where(s => s.Lag > LateMs)
            .GroupBy(s => (int)Math.Floor((s.At - TimeSpan.FromMilliseconds(s.Lag) - updateStarted).TotalSeconds))
            .OrderBy(g => g.Key).ToDictionary(g => g.Key.ToString(System.Globalization.CultureInfo.InvariantCulture), g => g.Count());
        // The steps whose pauses ended at the same instant as a late one (pauses end on whole seconds, as in Argo).
        var batches = samples.GroupBy(s => (long)Math.Round((s.At - TimeSpan.FromMilliseconds(s.Lag)).ToUnixTimeMilliseconds() / 10.0))
            .Where(g => g.Any(s => s.Lag > LateMs)).OrderBy(g => g.Key).Take(10).Select(g => new
            {
                pause_end_s = Seconds(DateTimeOffset.FromUnixTimeMilliseconds(g.Key * 10)),
                steps = g.Count(), late = g.Count(s => s.Lag > LateMs),
                lags_ms = g.OrderBy(s => s.Lag).Select(s => (int)s.Lag).ToList(),
                late_clusters = g.Where(s => s.Lag > LateMs).Select(s => s.Cluster).Distinct().Order().ToList(),
                on_time_clusters = g.Where(s => s.Lag <= LateMs).Select(s => s.Cluster).Distinct().Order().ToList(),
            }).ToList();
        Emit(new
        {
            benchmark = "rollouts", measurement = "late_steps", late_ms = LateMs, late = samples.Count(s => s.Lag > LateMs),
            late_by_second_of_pause_end = lateBySecond, batches, latest,
        });
    }
}
