using System.Globalization;
using System.Text.Json.Nodes;
using Coordinator.Domain.Observation;
using Coordinator.Domain.Planning;
using Coordinator.Domain.State;
using static Coordinator.Domain.Validation.ValidationMessages;

namespace Coordinator.Domain.Validation;

/// <summary>
/// Argo's referenced-resource checks (validation_references.go, §1.4), run every pass against what the adapter
/// observed: the workload first (it provides the template), then the Services, then the VirtualServices.
/// </summary>
public static partial class RolloutValidator
{
    public static ValidationResult ValidateReferences(RolloutSpec spec, ClusterObservation observation)
    {
        var errors = new List<FieldError>();
        if (observation.Owner is { } owner && !RolloutOwner.BelongsTo(owner, observation.RolloutName))
        {
            errors.Add(FieldError.Invalid("metadata.name", observation.RolloutName, string.Format(CultureInfo.InvariantCulture, OwnerConfigMapTaken, owner.Name)));
        }

        ValidateWorkload(spec, observation, errors);
        if (errors.Count == 0)
        {
            ValidateServices(spec, observation, errors);
            ValidateVirtualServices(spec, observation, errors);
        }

        return new ValidationResult(observation.RolloutName, errors);
    }

    private static void ValidateWorkload(RolloutSpec spec, ClusterObservation observation, List<FieldError> errors)
    {
        var name = spec.WorkloadRef?.Name ?? "";
        if (observation.Deployment is null || observation.Deployment.Name != name)
        {
            errors.Add(FieldError.Invalid("spec.workloadRef", name, string.Format(CultureInfo.InvariantCulture, DeploymentNotFound, name)));
        }
    }

    private static void ValidateServices(RolloutSpec spec, ClusterObservation observation, List<FieldError> errors)
    {
        var canary = spec.Strategy.Canary;
        ValidateService(canary?.StableService, "spec.strategy.canary.stableService", observation, errors);
        ValidateService(canary?.CanaryService, "spec.strategy.canary.canaryService", observation, errors);
    }

    /// <remarks>Runs on every planner pass: the template's labels are looked up where they are, not copied into a map.</remarks>
    private static void ValidateService(string? name, string path, ClusterObservation observation, List<FieldError> errors)
    {
        if (string.IsNullOrEmpty(name))
        {
            return;
        }

        var service = observation.FindService(name);
        if (service is null)
        {
            errors.Add(FieldError.Invalid(path, name, string.Format(CultureInfo.InvariantCulture, ServiceNotFound, name)));
            return;
        }

        if (service.Annotations.TryGetValue(ReplicaSetAnnotations.ManagedByRollouts, out var managedBy) && managedBy != observation.RolloutName)
        {
            errors.Add(FieldError.Invalid(path, name, string.Format(CultureInfo.InvariantCulture, ServiceManagedByAnother, name)));
        }

        var template = observation.Deployment!.Template;
        var unmatched = false;
        foreach (var (key, value) in service.Selector)
        {
            unmatched |= key != ReplicaSetAnnotations.PodTemplateHashLabel && TemplateLabel(template, key) != value;
        }

        if (!unmatched)
        {
            return;
        }

        foreach (var (key, value) in service.Selector.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (key != ReplicaSetAnnotations.PodTemplateHashLabel && TemplateLabel(template, key) != value)
            {
                errors.Add(FieldError.Invalid(path, name, string.Format(CultureInfo.InvariantCulture, ServiceUnmatchLabel, name, key)));
            }
        }
    }

    /// <summary>One label of the pod template, as <see cref="TemplateLabels"/> has it; null when absent.</summary>
    private static string? TemplateLabel(JsonObject template, string key) =>
        template["metadata"] is JsonObject { } metadata && metadata["labels"] is JsonObject labels && labels.TryGetPropertyValue(key, out var value)
            ? LabelValue(value)
            : null;

    private static string LabelValue(JsonNode? value) => value is JsonValue v && v.TryGetValue<string>(out var text) ? text : value?.ToString() ?? "";

    private static void ValidateVirtualServices(RolloutSpec spec, ClusterObservation observation, List<FieldError> errors)
    {
        var istio = spec.Strategy.Canary?.TrafficRouting?.Istio;
        if (istio is null)
        {
            return;
        }

        if ((istio.VirtualService is null) == istio.VirtualServices.IsDefaultOrEmpty)
        {
            errors.Add(FieldError.Invalid("spec.strategy.canary.trafficRouting.istio", "virtualService/virtualServices", EitherVirtualServiceOrVirtualServices));
            return;
        }

        var canaryService = spec.Strategy.Canary!.CanaryService ?? "";
        var stableService = spec.Strategy.Canary.StableService ?? "";
        foreach (var (reference, basePath) in IstioRoutes.References(spec))
        {
            var path = $"{basePath}.name";
            var configured = reference.Name ?? "";
            var (name, @namespace) = IstioRoutes.ResolveName(configured, observation.Namespace);
            var vs = observation.FindVirtualService(name, @namespace);
            if (vs is null)
            {
                errors.Add(FieldError.Invalid(path, configured, string.Format(CultureInfo.InvariantCulture, VirtualServiceNotFound, name)));
                continue;
            }

            if (vs.HttpRoutes.Count == 0 && !vs.HasTlsRoutes && !vs.HasTcpRoutes)
            {
                errors.Add(FieldError.Invalid(path, configured, NoRoutesInVirtualService));
                continue;
            }

            if (vs.HttpRoutes.Count == 0)
            {
                continue;
            }

            var routeError = ValidateHttpRoutes(reference, vs, stableService, canaryService);
            if (routeError is not null)
            {
                errors.Add(FieldError.Invalid(path, configured, string.Format(CultureInfo.InvariantCulture, InvalidHttpRoutes, routeError)));
            }
        }
    }

    // istio.ValidateHTTPRoutes: named routes must exist; every patched route needs both destinations, stable checked first.
    private static string? ValidateHttpRoutes(IstioVirtualServiceRef reference, ObservedVirtualService vs, string stableService, string canaryService)
    {
        var (routes, error) = IstioRoutes.SelectHttpRoutes(reference, vs);
        if (error is not null)
        {
            return error;
        }

        foreach (var route in routes)
        {
            if (!route.Destinations.Any(d => IstioRoutes.HostMatches(d.Host, stableService)))
            {
                return string.Format(CultureInfo.InvariantCulture, StableServiceNotInRoute, stableService);
            }

            if (!route.Destinations.Any(d => IstioRoutes.HostMatches(d.Host, canaryService)))
            {
                return string.Format(CultureInfo.InvariantCulture, CanaryServiceNotInRoute, canaryService);
            }
        }

        return null;
    }

    internal static IReadOnlyDictionary<string, string> TemplateLabels(JsonObject template)
    {
        var result = new Dictionary<string, string>();
        if (template["metadata"] is JsonObject { } metadata && metadata["labels"] is JsonObject labels)
        {
            foreach (var (key, value) in labels)
            {
                result[key] = LabelValue(value);
            }
        }

        return result;
    }
}
