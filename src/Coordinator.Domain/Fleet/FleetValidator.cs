using Coordinator.Domain.Manifest;
using Coordinator.Domain.Planning;
using Coordinator.Domain.Validation;

namespace Coordinator.Domain.Fleet;

/// <summary>
/// The FleetRollout's static rules, checked without the fleet (as <see cref="RolloutValidator.ValidateSpec"/> for the
/// Rollout): fields in document order, the first error being the one reported
/// (<c>The FleetRollout "x" is invalid: spec.waves[1].maxParallel: Invalid value: 0: must be greater than 0</c>).
/// What needs the fleet (unknown clusters, a wave that selects nothing) is <see cref="FleetWaves.Resolve"/>'s, which
/// runs these rules first.
/// <para>
/// A wave without <c>clusters</c> takes every participating cluster no earlier wave took, so only the last wave may omit
/// them (any wave after it could select nothing). A cluster name may be listed in one wave only.
/// </para>
/// </summary>
public static partial class FleetValidator
{
    public const string ObjectKind = "FleetRollout";

    public static ValidationResult Validate(FleetSpec spec, string fleetName)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var errors = new List<FieldError>();
        ValidateRolloutRef(spec.Rollout, errors);
        ValidateTemplate(spec.TemplatePatchJson, errors);
        if (spec.Clusters is { } clusters)
        {
            ValidateSelection(clusters, "spec.clusters", "omit spec.clusters to mean every cluster that has the Rollout", errors);
        }

        ValidateWaves(spec.Waves, errors);
        if (spec.FailureBudget is { } budget)
        {
            ValidateBudget(budget, "spec.failureBudget", errors);
        }

        if (spec.ClusterTimeout <= TimeSpan.Zero)
        {
            errors.Add(FieldError.Invalid("spec.clusterTimeout", GoDuration.Format(spec.ClusterTimeout), "must be greater than 0"));
        }

        ValidateEnum(spec.Unreachable, "spec.unreachable", errors);
        ValidateEnum(spec.OnFailure, "spec.onFailure", errors);
        return new ValidationResult(fleetName, errors) { Kind = ObjectKind };
    }

    private static void ValidateRolloutRef(FleetRolloutRef? rollout, List<FieldError> errors)
    {
        if (string.IsNullOrEmpty(rollout?.Name))
        {
            errors.Add(FieldError.Required("spec.rollout.name", "the Rollout already applied to the clusters"));
        }
        else if (KubernetesNames.SubdomainProblem(rollout.Name) is { } nameError)
        {
            errors.Add(FieldError.Invalid("spec.rollout.name", KubernetesNames.Truncate(rollout.Name), nameError));
        }

        if (rollout is not null && KubernetesNames.LabelProblem(rollout.Namespace ?? "") is { } namespaceError)
        {
            errors.Add(FieldError.Invalid("spec.rollout.namespace", KubernetesNames.Truncate(rollout.Namespace ?? ""), namespaceError));
        }
    }

    private static void ValidateWaves(IReadOnlyList<WaveSpec>? waves, List<FieldError> errors)
    {
        if (waves is null || waves.Count == 0)
        {
            errors.Add(FieldError.Required("spec.waves", "at least one wave"));
            return;
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        var namedIn = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < waves.Count; i++)
        {
            var wave = waves[i];
            var path = $"spec.waves[{i}]";
            if (string.IsNullOrEmpty(wave.Name))
            {
                errors.Add(FieldError.Required($"{path}.name", "a wave name (a DNS-1123 label)"));
            }
            else if (KubernetesNames.LabelProblem(wave.Name) is { } nameError)
            {
                errors.Add(FieldError.Invalid($"{path}.name", KubernetesNames.Truncate(wave.Name), nameError));
            }
            else if (!names.Add(wave.Name))
            {
                errors.Add(FieldError.Duplicate($"{path}.name", wave.Name));
            }

            if (wave.Clusters is { } clusters)
            {
                ValidateSelection(clusters, $"{path}.clusters", "omit clusters in the last wave to take every remaining cluster", errors);
                ValidateNamedOnce(clusters.Names, i, namedIn, errors);
            }
            else if (i < waves.Count - 1)
            {
                errors.Add(FieldError.Required($"{path}.clusters", "only the last wave may omit clusters (it takes every remaining cluster)"));
            }

            ValidateParallel(wave.MaxParallel, $"{path}.maxParallel", errors);
            if (wave.BakeTime < TimeSpan.Zero)
            {
                errors.Add(FieldError.Invalid($"{path}.bakeTime", GoDuration.Format(wave.BakeTime), ValidationMessages.NonNegative));
            }

            ValidateBudget(wave.FailureBudget, $"{path}.failureBudget", errors);
        }
    }

    /// <summary>Overlapping names: a cluster would be in the first wave that lists it, so a second listing is a mistake.</summary>
    private static void ValidateNamedOnce(IReadOnlyList<string> names, int wave, Dictionary<string, int> namedIn, List<FieldError> errors)
    {
        for (var n = 0; n < names.Count; n++)
        {
            if (!namedIn.TryAdd(names[n], wave) && namedIn[names[n]] != wave)
            {
                errors.Add(FieldError.Duplicate($"spec.waves[{wave}].clusters.names[{n}]", KubernetesNames.Truncate(names[n]),
                    $"already in spec.waves[{namedIn[names[n]]}] (a cluster is in one wave only)"));
            }
        }
    }

    /// <summary>maxParallel: a count of at least 1, or 1% to 100% of the wave.</summary>
    private static void ValidateParallel(IntOrPercent? value, string path, List<FieldError> errors) =>
        ValidateCount(value, path, minimum: 1, "a count or a percentage of the wave", errors);

    /// <summary>A failure budget: a count of at least 0, or 0% to 100%.</summary>
    private static void ValidateBudget(IntOrPercent? value, string path, List<FieldError> errors) =>
        ValidateCount(value, path, minimum: 0, "a count or a percentage", errors);

    private static void ValidateCount(IntOrPercent? value, string path, int minimum, string what, List<FieldError> errors)
    {
        if (value is null)
        {
            errors.Add(FieldError.Required(path, what));
        }
        else if (value.Percent && (value.Value < minimum || value.Value > 100))
        {
            errors.Add(FieldError.Invalid(path, value.ToString(), $"must be between {minimum}% and 100%"));
        }
        else if (!value.Percent && value.Value < minimum)
        {
            errors.Add(FieldError.Invalid(path, value.Value, minimum == 0 ? ValidationMessages.NonNegative : $"must be greater than {minimum - 1}"));
        }
    }

    /// <summary>A spec that arrives as JSON may carry an enum value no manifest can spell.</summary>
    private static void ValidateEnum<T>(T value, string path, List<FieldError> errors)
        where T : struct, Enum
    {
        if (!Enum.IsDefined(value))
        {
            errors.Add(FieldError.NotSupported(path, value.ToString(), Enum.GetNames<T>().Select(n => n.ToLowerInvariant())));
        }
    }
}
