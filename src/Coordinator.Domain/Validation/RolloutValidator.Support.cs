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

    private static void ValidateCoordinatorSupport(RolloutSpec spec, List<FieldError> errors)
    {
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
