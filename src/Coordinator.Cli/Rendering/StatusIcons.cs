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

    /// <summary><c>• ScaledDown</c> when scaled to 0, <c>✔ Healthy</c> when every pod is available, else <c>◌ Progressing</c>.</summary>
    public static string ReplicaSet(ReplicaSet rs) =>
        rs.Desired == 0 ? "• ScaledDown"
        : rs.Available == rs.Desired ? "✔ Healthy"
        : "◌ Progressing";
}
