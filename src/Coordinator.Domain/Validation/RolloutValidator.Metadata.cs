using Coordinator.Domain.Manifest;
using Coordinator.Domain.Observation;
using Coordinator.Domain.State;

namespace Coordinator.Domain.Validation;

/// <summary>
/// canaryMetadata / stableMetadata go onto ReplicaSet templates and running pods, so their keys and values must be what
/// the API server accepts (apimachinery's qualified-name and label-value rules); refused here rather than by a write
/// halfway through a rollout. The pod-template-hash label is the coordinator's and may not be set.
/// </summary>
public static partial class RolloutValidator
{
    private static void ValidateEphemeralMetadata(CanaryStrategy canary, List<FieldError> errors)
    {
        ValidatePodMetadata(canary.CanaryMetadata, "spec.strategy.canary.canaryMetadata", errors);
        ValidatePodMetadata(canary.StableMetadata, "spec.strategy.canary.stableMetadata", errors);
    }

    private static void ValidatePodMetadata(PodTemplateMetadata? metadata, string path, List<FieldError> errors)
    {
        if (metadata is null)
        {
            return;
        }

        foreach (var (key, value) in metadata.Labels.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (key == ReplicaSetAnnotations.PodTemplateHashLabel)
            {
                errors.Add(FieldError.Invalid($"{path}.labels", key, "the pod-template-hash label is set by the controller and cannot be ephemeral metadata"));
            }
            else if ((LabelRules.Key($"{path}.labels", key) ?? LabelRules.Value($"{path}.labels", value)) is { } error)
            {
                errors.Add(error);
            }
        }

        foreach (var key in metadata.Annotations.Keys.Order(StringComparer.Ordinal))
        {
            if (LabelRules.Key($"{path}.annotations", key) is { } error)
            {
                errors.Add(error);
            }
        }
    }
}
