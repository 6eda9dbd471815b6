using Coordinator.Domain.State;

namespace Coordinator.Domain.Planning;

/// <summary>Argo's <c>CalculateRolloutPhase</c> (ROLLOUT-BEHAVIOUR §2.2): the first matching rule wins.</summary>
public static class PhaseCalculator
{
    public static (RolloutPhase Phase, string Message) Calculate(RolloutSpec spec, RolloutStatus status)
    {
        if (Conditions.Find(status, Conditions.InvalidSpec) is { } invalid)
        {
            return (RolloutPhase.Degraded, $"{Conditions.InvalidSpecReason}: {invalid.Message}");
        }

        if (status.Conditions.FirstOrDefault(c => c.Reason is Conditions.RolloutAbortedReason or Conditions.ProgressDeadlineExceededReason) is { } failed)
        {
            return (RolloutPhase.Degraded, $"{failed.Reason}: {failed.Message}");
        }

        if (spec.Paused)
        {
            return (RolloutPhase.Paused, "manually paused");
        }

        if (status.PauseConditions.Length > 0)
        {
            return (RolloutPhase.Paused, status.PauseConditions[0].Reason);
        }

        var replicas = RolloutDefaults.GetReplicas(spec);
        if (status.UpdatedReplicas < replicas)
        {
            return (RolloutPhase.Progressing, "more replicas need to be updated");
        }

        if (status.AvailableReplicas < status.UpdatedReplicas)
        {
            return (RolloutPhase.Progressing, "updated replicas are still becoming available");
        }

        if (string.IsNullOrEmpty(status.StableRS) || status.StableRS != status.CurrentPodHash)
        {
            return (RolloutPhase.Progressing, "waiting for all steps to complete");
        }

        return (RolloutPhase.Healthy, "");
    }

    public static RolloutStatus Apply(RolloutSpec spec, RolloutStatus status)
    {
        var (phase, message) = Calculate(spec, status);
        return status with { Phase = phase, Message = message };
    }
}
