using System.Globalization;
using Coordinator.Domain.Planning;
using Coordinator.Domain.State;
using static Coordinator.Domain.Validation.ValidationMessages;

namespace Coordinator.Domain.Validation;

/// <summary>
/// Argo's spec validation (pkg/apis/rollouts/validation/validation.go, ROLLOUT-BEHAVIOUR §1.4) in Argo's order,
/// followed by the coordinator's own refusals of what it does not implement. Only the first error is reported
/// (<see cref="ValidationResult.Message"/>); paths of canary checks start at <c>spec.strategy</c>, as in Argo.
/// </summary>
public static partial class RolloutValidator
{
    /// <summary>Spec rules, then references: what the planner runs every pass.</summary>
    public static ValidationResult Validate(RolloutSpec spec, Observation.ClusterObservation observation)
    {
        var specResult = ValidateSpec(spec, observation.RolloutName);
        return specResult.IsValid ? ValidateReferences(spec, observation) : specResult;
    }

    public static ValidationResult ValidateSpec(RolloutSpec spec, string rolloutName)
    {
        var errors = new List<FieldError>();
        ValidateTopLevel(spec, errors);
        ValidateStrategy(spec, errors);
        ValidateCoordinatorSupport(spec, errors);
        return new ValidationResult(rolloutName, errors);
    }

    private static void ValidateTopLevel(RolloutSpec spec, List<FieldError> errors)
    {
        var replicas = RolloutDefaults.GetReplicas(spec);
        if (replicas < 0)
        {
            errors.Add(FieldError.Invalid("spec.replicas", replicas, NonNegative));
        }

        if (spec.Selector is null && spec.WorkloadRef is null)
        {
            errors.Add(FieldError.Required("spec.selector", Format(MissingField, ".spec.selector")));
        }
        else if (spec.Selector is { MatchLabels.Count: 0, MatchExpressionCount: 0 })
        {
            errors.Add(FieldError.Invalid("spec.selector", spec.Selector, EmptySelector));
        }

        if (spec.WorkloadRef is not null && spec.Template is { } template && (template.Labels.Count > 0 || template.Annotations.Count > 0))
        {
            errors.Add(FieldError.Invalid("spec.template", template, TemplateMustBeEmpty));
        }

        var minReady = RolloutDefaults.GetMinReadySeconds(spec);
        if (minReady < 0)
        {
            errors.Add(FieldError.Invalid("spec.minReadySeconds", minReady, NonNegative));
        }

        var historyLimit = RolloutDefaults.GetRevisionHistoryLimit(spec);
        if (historyLimit < 0)
        {
            errors.Add(FieldError.Invalid("spec.revisionHistoryLimit", historyLimit, NonNegative));
        }

        var progressDeadline = RolloutDefaults.GetProgressDeadlineSeconds(spec);
        if (progressDeadline < 0)
        {
            errors.Add(FieldError.Invalid("spec.progressDeadlineSeconds", progressDeadline, NonNegative));
        }

        if (progressDeadline <= minReady)
        {
            errors.Add(FieldError.Invalid("spec.progressDeadlineSeconds", progressDeadline, ProgressDeadlineNotGreater));
        }
    }

    private static void ValidateStrategy(RolloutSpec spec, List<FieldError> errors)
    {
        var strategy = spec.Strategy;
        if (strategy.Canary is null && !strategy.HasBlueGreen)
        {
            errors.Add(FieldError.Required("spec.strategy", Format(MissingField, ".spec.strategy.canary or .spec.strategy.blueGreen")));
            return;
        }

        if (strategy.Canary is not null && strategy.HasBlueGreen)
        {
            errors.Add(FieldError.Invalid("spec.strategy", "blueGreen: true canary: true", InvalidStrategy));
            return;
        }

        if (strategy.Canary is { } canary)
        {
            ValidateCanary(spec, canary, errors);
        }
    }

    private static void ValidateCanary(RolloutSpec spec, CanaryStrategy canary, List<FieldError> errors)
    {
        const string path = "spec.strategy";
        ValidateEphemeralMetadata(canary, errors);
        if (!string.IsNullOrEmpty(canary.CanaryService) && canary.CanaryService == canary.StableService)
        {
            errors.Add(FieldError.Invalid($"{path}.stableService", canary.StableService, DuplicatedServicesCanary));
        }

        var routing = canary.TrafficRouting;
        var hostSplitting = routing?.Istio is { DestinationRule: null };
        if (hostSplitting && (string.IsNullOrEmpty(canary.CanaryService) || string.IsNullOrEmpty(canary.StableService)))
        {
            errors.Add(FieldError.Invalid($"{path}.trafficRouting", routing, InvalidTrafficRouting));
        }

        var maxSurge = RolloutDefaults.GetMaxSurge(spec);
        if (IntOrPercentValue(maxSurge) == 0 && IntOrPercentValue(RolloutDefaults.GetMaxUnavailable(spec)) == 0)
        {
            errors.Add(FieldError.Invalid($"{path}.maxSurge", (object?)maxSurge.IntValue ?? maxSurge.StringValue, InvalidMaxSurgeMaxUnavailable));
        }

        if (routing is null && canary.ScaleDownDelaySeconds is { } delay)
        {
            errors.Add(FieldError.Invalid($"{path}.scaleDownDelaySeconds", delay, InvalidCanaryScaleDownDelay));
        }

        if (routing is null && canary.DynamicStableScale)
        {
            errors.Add(FieldError.Invalid($"{path}.dynamicStableScale", true, InvalidCanaryDynamicStableScale));
        }

        if (canary.DynamicStableScale && canary.ScaleDownDelaySeconds is not null)
        {
            errors.Add(FieldError.Invalid($"{path}.dynamicStableScale", true, InvalidCanaryDynamicStableScaleWithScaleDownDelay));
        }

        if (routing is { Istio: not null, MaxTrafficWeight: { } maxWeight })
        {
            errors.Add(FieldError.Invalid($"{path}.trafficRouting.maxTrafficWeight", maxWeight, MaxTrafficWeightWithIstio));
        }

        for (var i = 0; i < canary.Steps.Length; i++)
        {
            ValidateStep(canary.Steps[i], $"{path}.steps[{i}]", routing, errors);
        }
    }

    private static void ValidateStep(CanaryStep step, string path, TrafficRouting? routing, List<FieldError> errors)
    {
        var exclusiveKinds = new[] { step.SetWeight is not null, step.Pause is not null, step.Experiment is not null, step.Analysis is not null };
        var anyKind = exclusiveKinds.Any(k => k) || step.SetCanaryScale is not null || step.SetHeaderRoute is not null
            || step.SetMirrorRoute is not null || step.Plugin is not null;
        if (exclusiveKinds.Count(k => k) > 1 || !anyKind)
        {
            errors.Add(FieldError.Invalid(path, DescribeStepKinds(step), InvalidStep));
        }

        if (step.SetWeight is { } weight && (weight < 0 || weight > 100))
        {
            errors.Add(FieldError.Invalid($"{path}.setWeight", weight, InvalidSetWeight));
        }

        if (step.Pause is { } pause && RolloutDefaults.GetPauseDurationSeconds(pause) is < 0)
        {
            errors.Add(FieldError.Invalid($"{path}.pause.duration", -1, InvalidDuration));
        }

        if (step.SetCanaryScale is not null && routing is null)
        {
            errors.Add(FieldError.Invalid($"{path}.setCanaryScale", "setCanaryScale", InvalidSetCanaryScaleTrafficPolicy));
        }

        foreach (var (kind, routeName) in new[] { ("setHeaderRoute", step.SetHeaderRoute), ("setMirrorRoute", step.SetMirrorRoute) })
        {
            if (routeName is null)
            {
                continue;
            }

            if (routing is null || routing.ManagedRoutes.IsDefaultOrEmpty)
            {
                errors.Add(FieldError.Invalid($"{path}.{kind}", routeName, Format(MissingField, "spec.strategy.canary.trafficRouting.managedRoutes")));
            }
            else if (!routing.ManagedRoutes.Contains(routeName))
            {
                errors.Add(FieldError.Invalid($"{path}.{kind}", routeName, StepRouteNotInManagedRoutes));
            }
        }
    }

    // Argo renders the offending step as a list of which kinds are unset, e.g. "step.Pause: true step.SetWeight: true".
    private static string DescribeStepKinds(CanaryStep step) =>
        string.Create(CultureInfo.InvariantCulture,
            $"step.Experiment: {Nil(step.Experiment)} step.Pause: {Nil(step.Pause)} step.SetWeight: {Nil(step.SetWeight)} step.Analysis: {Nil(step.Analysis)} step.SetCanaryScale: {Nil(step.SetCanaryScale)} step.SetHeaderRoute: {Nil(step.SetHeaderRoute)} step.SetMirrorRoutes: {Nil(step.SetMirrorRoute)} step.Plugin: {Nil(step.Plugin)}");

    private static string Nil(object? value) => value is null ? "true" : "false";

    private static int IntOrPercentValue(IntOrString value) =>
        value.IntValue ?? (int.TryParse((value.StringValue ?? "").TrimEnd('%'), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) ? n : 0);

    private static string Format(string template, params object[] args) => string.Format(CultureInfo.InvariantCulture, template, args);
}
