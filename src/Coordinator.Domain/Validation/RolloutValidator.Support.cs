using Coordinator.Domain.State;
using static Coordinator.Domain.Validation.ValidationMessages;

namespace Coordinator.Domain.Validation;

/// <summary>The coordinator's refusals: valid Argo specs that this implementation does not execute.</summary>
public static partial class RolloutValidator
{
    private static readonly (string Kind, Func<CanaryStep, bool> IsSet)[] UnsupportedStepKinds =
    [
        ("analysis", s => s.Analysis is not null),
        ("experiment", s => s.Experiment is not null),
        ("setHeaderRoute", s => s.SetHeaderRoute is not null),
        ("setMirrorRoute", s => s.SetMirrorRoute is not null),
        ("plugin", s => s.Plugin is not null),
    ];

    /// <summary>Why a known Argo field is refused, when there is more to say than "not supported".</summary>
    private static readonly Dictionary<string, string> UnsupportedFieldReasons = new(StringComparer.Ordinal)
    {
        ["spec.analysis"] = "AnalysisRun history limits are not supported by the coordinator (it runs no analysis)",
        ["spec.strategy.canary.analysis"] = "background analysis is not supported by the coordinator",
        ["spec.strategy.canary.pingPong"] = "ping-pong services are not supported by the coordinator",
        ["spec.strategy.canary.trafficRouting.managedRoutes"] = "managedRoutes are not supported by the coordinator (it creates no header or mirror routes)",
    };

    private static void ValidateCoordinatorSupport(RolloutSpec spec, List<FieldError> errors)
    {
        foreach (var field in spec.UnsupportedFields.IsDefault ? [] : spec.UnsupportedFields)
        {
            var name = field[(field.LastIndexOf('.') + 1)..];
            errors.Add(FieldError.Invalid(field, name, UnsupportedFieldReasons.GetValueOrDefault(field)
                ?? string.Format(System.Globalization.CultureInfo.InvariantCulture, CoordinatorUnsupportedField, name)));
        }

        if (spec.WorkloadRef is not null && spec.Template is { HasPodSpec: true })
        {
            // Argo only checks the template's labels and annotations and ignores a pod spec here; nothing may be ignored.
            errors.Add(FieldError.Invalid("spec.template.spec", "spec", TemplateMustBeEmpty));
        }

        if (spec.Strategy.HasBlueGreen && spec.Strategy.Canary is null)
        {
            errors.Add(FieldError.Invalid("spec.strategy.blueGreen", "blueGreen", CoordinatorCanaryOnly));
        }

        if (spec.WorkloadRef is null)
        {
            errors.Add(FieldError.Required("spec.workloadRef", CoordinatorNeedsWorkloadRef));
        }
        else if (spec.WorkloadRef is { } workloadRef && !(workloadRef.Kind == "Deployment" && workloadRef.ApiVersion?.StartsWith("apps/", StringComparison.Ordinal) == true))
        {
            var group = workloadRef.ApiVersion?.Split('/') is [var g, _] ? g : "";
            errors.Add(FieldError.Invalid("spec.workloadRef", workloadRef.Name, string.Format(System.Globalization.CultureInfo.InvariantCulture, WorkloadNotSupported, group, workloadRef.Kind)));
        }
        else if (string.IsNullOrEmpty(spec.WorkloadRef.Name))
        {
            errors.Add(FieldError.Required("spec.workloadRef.name", string.Format(System.Globalization.CultureInfo.InvariantCulture, MissingField, "spec.workloadRef.name")));
        }

        if (spec.Selector is { MatchExpressionCount: > 0 })
        {
            errors.Add(FieldError.Invalid("spec.selector", "matchExpressions", CoordinatorUnsupportedMatchExpressions));
        }

        if (spec.Strategy.Canary is not { } canary)
        {
            return;
        }

        var routing = canary.TrafficRouting;
        if (routing is not null)
        {
            foreach (var provider in routing.OtherProviders)
            {
                errors.Add(FieldError.Invalid($"spec.strategy.canary.trafficRouting.{provider}", provider, string.Format(System.Globalization.CultureInfo.InvariantCulture, CoordinatorUnsupportedProvider, provider)));
            }
        }

        if (routing?.Istio is not { } istio)
        {
            errors.Add(FieldError.Required("spec.strategy.canary.trafficRouting.istio", CoordinatorNeedsIstio));
        }
        else
        {
            if (istio.DestinationRule is not null)
            {
                errors.Add(FieldError.Invalid("spec.strategy.canary.trafficRouting.istio.destinationRule", istio.DestinationRule.Name, CoordinatorUnsupportedDestinationRule));
            }

            var references = istio.VirtualService is { } single ? [single] : istio.VirtualServices.ToArray();
            if (references.Any(r => r.TlsRouteCount > 0 || r.TcpRouteCount > 0))
            {
                errors.Add(FieldError.Invalid("spec.strategy.canary.trafficRouting.istio", "tlsRoutes/tcpRoutes", CoordinatorUnsupportedTlsTcp));
            }
        }

        for (var i = 0; i < canary.Steps.Length; i++)
        {
            foreach (var (kind, isSet) in UnsupportedStepKinds)
            {
                if (isSet(canary.Steps[i]))
                {
                    errors.Add(FieldError.Invalid($"spec.strategy.canary.steps[{i}].{kind}", kind, string.Format(System.Globalization.CultureInfo.InvariantCulture, CoordinatorUnsupportedStep, kind)));
                }
            }
        }
    }
}
