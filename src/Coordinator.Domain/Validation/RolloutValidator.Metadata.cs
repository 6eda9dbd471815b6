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
    private const string QualifiedNameMessage =
        "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character, with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')";

    private const string LabelValueMessage =
        "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";

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
            else if (!KubernetesNames.IsQualifiedName(key))
            {
                errors.Add(FieldError.Invalid($"{path}.labels", key, QualifiedNameMessage));
            }
            else if (!KubernetesNames.IsLabelValue(value))
            {
                errors.Add(FieldError.Invalid($"{path}.labels", value, value.Length > KubernetesNames.MaxLabelLength ? "must be no more than 63 characters" : LabelValueMessage));
            }
        }

        foreach (var key in metadata.Annotations.Keys.Where(k => !KubernetesNames.IsQualifiedName(k)).Order(StringComparer.Ordinal))
        {
            errors.Add(FieldError.Invalid($"{path}.annotations", key, QualifiedNameMessage));
        }
    }
}
