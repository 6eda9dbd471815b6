using Google.Protobuf.WellKnownTypes;

namespace Coordinator.Cli.Rendering;

/// <summary>Durations the way kubectl prints them.</summary>
public static class AgeFormatter
{
    public const string Unknown = "<unknown>";

    /// <summary>The age of an object created at <paramref name="created"/>, e.g. <c>40s</c>, <c>5m</c>, <c>3h</c>, <c>2d</c>.</summary>
    public static string Age(Timestamp? created, DateTimeOffset now) =>
        created is null ? Unknown : Short(now - created.ToDateTimeOffset());

    /// <summary>kubectl's ShortHumanDuration: one unit, rounded down.</summary>
    public static string Short(TimeSpan d)
    {
        var seconds = (long)Math.Floor(d.TotalSeconds);
        if (seconds < -1) return "<invalid>";
        if (seconds < 0) return "0s";
        if (seconds < 60) return $"{seconds}s";
        var minutes = seconds / 60;
        if (minutes < 60) return $"{minutes}m";
        var hours = minutes / 60;
        if (hours < 24) return $"{hours}h";
        if (hours < 24 * 365) return $"{hours / 24}d";
        return $"{hours / (24 * 365)}y";
    }

    /// <summary>Go's Duration.String rounded to seconds, as the plugin prints delays: <c>25s</c>, <c>1m5s</c>, <c>1h0m0s</c>.</summary>
    public static string GoSeconds(TimeSpan d)
    {
        var total = (long)Math.Round(d.TotalSeconds, MidpointRounding.AwayFromZero);
        if (total < 60) return $"{total}s";
        if (total < 3600) return $"{total / 60}m{total % 60}s";
        return $"{total / 3600}h{total % 3600 / 60}m{total % 60}s";
    }
}
