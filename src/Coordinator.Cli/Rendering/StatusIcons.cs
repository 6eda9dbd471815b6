using Coordinator.Grpc.V1;

namespace Coordinator.Cli.Rendering;

/// <summary>The plugin's status icons.</summary>
public static class StatusIcons
{
    public const string Healthy = "Healthy";
    public const string Progressing = "Progressing";
    public const string Paused = "Paused";
    public const string Degraded = "Degraded";

    public static string Icon(string phase) => phase switch
    {
        Healthy => "✔",
        Progressing => "◌",
        Paused => "॥",
        Degraded => "✖",
        _ => "?",
    };

    /// <summary>Icon and phase, e.g. <c>॥ Paused</c>.</summary>
    public static string Phase(string phase) =>
        string.IsNullOrEmpty(phase) ? "? Unknown" : $"{Icon(phase)} {phase}";

    /// <summary>
    /// A pod's icon and status as the plugin's <c>podIcon</c> picks it: <c>✔ Running</c>, <c>◌ ContainerCreating</c>,
    /// <c>✖ CrashLoopBackOff</c>, <c>⚠ ErrImagePull</c>; statuses it does not know get a blank icon, as there.
    /// </summary>
    public static string Pod(string status)
    {
        if (string.IsNullOrEmpty(status)) return "? Unknown";
        var icon = status switch
        {
            _ when status.StartsWith("Init:", StringComparison.Ordinal) => "◌",
            _ when status.StartsWith("Signal:", StringComparison.Ordinal) || status.StartsWith("ExitCode:", StringComparison.Ordinal) => "✖",
            _ when status.EndsWith("Error", StringComparison.Ordinal) || status.StartsWith("Err", StringComparison.Ordinal) => "⚠",
            "Pending" or "Terminating" or "ContainerCreating" => "◌",
            "Running" or "Completed" => "✔",
            "Failed" or "InvalidImageName" or "CrashLoopBackOff" => "✖",
            "ImagePullBackOff" or "RegistryUnavailable" => "⚠",
            "Unknown" => "?",
            _ => " ",
        };
        return $"{icon} {status}";
    }

    /// <summary><c>• ScaledDown</c> when scaled to 0, <c>✔ Healthy</c> when every pod is available, else <c>◌ Progressing</c>.</summary>
    public static string ReplicaSet(ReplicaSet rs) =>
        rs.Desired == 0 ? "• ScaledDown"
        : rs.Available == rs.Desired ? "✔ Healthy"
        : "◌ Progressing";
}
