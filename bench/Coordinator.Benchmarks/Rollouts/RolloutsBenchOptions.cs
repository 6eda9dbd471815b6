using System.Globalization;

namespace Coordinator.Benchmarks.Rollouts;

/// <summary>Command line of the rollouts benchmark.</summary>
internal sealed record RolloutsBenchOptions
{
    public const string Usage = """
        usage: Coordinator.Benchmarks rollouts [options]
          --clusters <n>        simulated clusters (default 50)
          --namespaces <n>      namespaces per cluster, one seed Rollout each (default 20; rollouts = clusters x namespaces)
          --pause <s>           duration of each of the seed's three pause steps (default 2)
          --spread <s>          the image changes are spread evenly over this window (default 10; 0 = all at once)
          --idle <s>            how long the Healthy rollouts sit idle for the idle-cost measurement (default 120)
          --timeout <s>         bound on each phase (default 900)
          --placement <p>       where KubeSim runs: separate (its own process, as a real API server; default) or inprocess
          --background-load     keep one core busy in a second process for the whole run (a noisy neighbour)
          --soak <s>            after the measured update, update every rollout again and again for this long and report
                                the silo's memory slope and open descriptors (issue 12's soak; default 0: no soak)
        Prints one JSON object per measurement on stdout, a summary on stderr.
        """;

    public int Clusters { get; init; } = 50;
    public int Namespaces { get; init; } = 20;
    public int PauseSeconds { get; init; } = 2;
    public TimeSpan Spread { get; init; } = TimeSpan.FromSeconds(10);
    public TimeSpan Idle { get; init; } = TimeSpan.FromSeconds(120);
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(900);
    public KubeSimPlacement Placement { get; init; } = KubeSimPlacement.Separate;
    public bool BackgroundLoad { get; init; }
    public TimeSpan Soak { get; init; } = TimeSpan.Zero;

    public int Rollouts => Clusters * Namespaces;

    public static RolloutsBenchOptions? Parse(string[] args, out string? error)
    {
        error = null;
        var o = new RolloutsBenchOptions();
        try
        {
            for (var i = 0; i < args.Length; i++)
            {
                int Next() => i + 1 < args.Length
                    ? int.Parse(args[++i], NumberStyles.Integer, CultureInfo.InvariantCulture)
                    : throw new FormatException($"{args[i]} needs a value");
                o = args[i] switch
                {
                    "--clusters" => o with { Clusters = Next() },
                    "--namespaces" => o with { Namespaces = Next() },
                    "--pause" => o with { PauseSeconds = Next() },
                    "--spread" => o with { Spread = TimeSpan.FromSeconds(Next()) },
                    "--idle" => o with { Idle = TimeSpan.FromSeconds(Next()) },
                    "--timeout" => o with { Timeout = TimeSpan.FromSeconds(Next()) },
                    "--placement" => o with { Placement = ParsePlacement(i + 1 < args.Length ? args[++i] : "") },
                    "--background-load" => o with { BackgroundLoad = true },
                    "--soak" => o with { Soak = TimeSpan.FromSeconds(Next()) },
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
        return o.Clusters > 0 && o.Namespaces > 0 && o.PauseSeconds > 0 ? o : null;
    }

    private static KubeSimPlacement ParsePlacement(string value) => value switch
    {
        "separate" => KubeSimPlacement.Separate,
        "inprocess" => KubeSimPlacement.InProcess,
        _ => throw new FormatException($"--placement: '{value}' is not separate or inprocess"),
    };
}
