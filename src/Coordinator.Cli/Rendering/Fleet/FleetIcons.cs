namespace Coordinator.Cli.Rendering.Fleet;

/// <summary>Icons for the states of a fleet run, its waves and clusters, in the plugin's vocabulary (✔ ◌ ॥ ✖).</summary>
public static class FleetIcons
{
    public const string Completed = "Completed";
    public const string Failed = "Failed";
    public const string Aborted = "Aborted";
    public const string Reverted = "Reverted";

    /// <summary>Phases after which a run changes no more (Halted is not one: it can be resumed).</summary>
    public static bool IsFinal(string phase) => phase is Completed or Failed or Aborted or Reverted;

    /// <summary>Icon and state, e.g. <c>॥ Baking</c>; <c>-</c> when empty.</summary>
    public static string State(string state)
    {
        if (string.IsNullOrEmpty(state)) return "-";
        var icon = state switch
        {
            Completed or StatusIcons.Healthy => "✔",
            StatusIcons.Progressing or "Reverting" => "◌",
            StatusIcons.Paused or "WaitingForApproval" or "Baking" or "Halted" => "॥",
            Failed or Aborted or StatusIcons.Degraded => "✖",
            _ => "•",
        };
        return $"{icon} {state}";
    }
}
