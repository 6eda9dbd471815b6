using System.Globalization;

namespace Coordinator.Benchmarks.Failover;

/// <summary>Command line of the failover benchmark.</summary>
internal sealed record FailoverBenchOptions
{
    public const string Usage = """
        usage: Coordinator.Benchmarks failover [options]
          --clusters <n>        simulated clusters (default 50)
          --namespaces <n>      namespaces per cluster, one Rollout each (default 20; rollouts = clusters x namespaces)
          --pause <s>           the timed pause the rollouts are in when the silo dies (default 30)
          --lead <s>            the silo is killed this long before the first pause of its rollouts ends (default 1:
                                every pause ends while the silo is being declared dead)
          --victim-share <pct>  share of the rollouts moved onto the silo that is killed (default 75)
          --wake-on-death       also emulate a proposed silo hook: when the survivor sees the silo declared dead, it calls
                                Wake() on every rollout of the fleet directory (not in the product; measures what it would give)
          --hang                stop the silo with SIGSTOP instead of killing it (a silo that hangs rather than dies;
                                it is killed at the end)
          --timeout <s>         bound on each phase, and on the wait for every rollout to act after the kill (default 300)
        Needs Azurite (bash .ci/install-tools). Prints one JSON object per measurement on stdout, a summary on stderr.
        """;

    public int Clusters { get; init; } = 50;
    public int Namespaces { get; init; } = 20;
    public int PauseSeconds { get; init; } = 30;
    public double LeadSeconds { get; init; } = 1;
    public int VictimSharePercent { get; init; } = 75;
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(300);
    public bool WakeOnDeath { get; init; }
    public bool Hang { get; init; }

    public int Rollouts => Clusters * Namespaces;

    public static FailoverBenchOptions? Parse(string[] args, out string? error)
    {
        error = null;
        var o = new FailoverBenchOptions();
        try
        {
            for (var i = 0; i < args.Length; i++)
            {
                string Value() => i + 1 < args.Length ? args[++i] : throw new FormatException($"{args[i]} needs a value");
                int Next() => int.Parse(Value(), NumberStyles.Integer, CultureInfo.InvariantCulture);
                o = args[i] switch
                {
                    "--clusters" => o with { Clusters = Next() },
                    "--namespaces" => o with { Namespaces = Next() },
                    "--pause" => o with { PauseSeconds = Next() },
                    "--lead" => o with { LeadSeconds = double.Parse(Value(), NumberStyles.Float, CultureInfo.InvariantCulture) },
                    "--victim-share" => o with { VictimSharePercent = Next() },
                    "--timeout" => o with { Timeout = TimeSpan.FromSeconds(Next()) },
                    "--wake-on-death" => o with { WakeOnDeath = true },
                    "--hang" => o with { Hang = true },
                    "--help" or "-h" => throw new FormatException(""),
                    _ => throw new FormatException($"unknown option {args[i]}"),
                };
            }
        }
        catch (FormatException ex)
        {
            error = ex.Message;
            return null;
        }
        return o.Clusters > 0 && o.Namespaces is > 0 and <= 100 && o.PauseSeconds > o.LeadSeconds && o.LeadSeconds >= 0
               && o.VictimSharePercent is > 0 and <= 100 ? o : null;
    }
}
