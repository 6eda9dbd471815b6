namespace Coordinator.Domain.Validation;

/// <summary>Argo's validation texts (pkg/apis/rollouts/validation), plus the coordinator's own refusals.</summary>
public static class ValidationMessages
{
    public const string MissingField = "Rollout has missing field '{0}'";
    public const string InvalidSetWeight = "SetWeight needs to be between 0 and 100";
    public const string InvalidDuration = "Duration needs to be greater than 0";
    public const string InvalidStep = "Step must have one of the following set: experiment, setWeight, setCanaryScale, plugin or pause";
    public const string DuplicatedServicesCanary = "This rollout uses the same service for the stable and canary services, but two different services are required.";
    public const string InvalidTrafficRouting = "Canary service and Stable service must to be set to use Traffic Routing";
    public const string InvalidMaxSurgeMaxUnavailable = "MaxSurge and MaxUnavailable both can not be zero";
    public const string InvalidCanaryScaleDownDelay = "Canary scaleDownDelaySeconds can only be used with traffic routing";
    public const string InvalidCanaryDynamicStableScale = "Canary dynamicStableScale can only be used with traffic routing";
    public const string InvalidCanaryDynamicStableScaleWithScaleDownDelay = "Canary dynamicStableScale cannot be used with scaleDownDelaySeconds";
    public const string InvalidSetCanaryScaleTrafficPolicy = "SetCanaryScale requires TrafficRouting to be set";
    public const string StepRouteNotInManagedRoutes = "Steps define a route that does not exist in spec.strategy.canary.trafficRouting.managedRoutes";
    public const string InvalidStrategy = "Multiple Strategies can not be listed";
    public const string EmptySelector = "empty selector is invalid for deployment";
    public const string ProgressDeadlineNotGreater = "must be greater than minReadySeconds";
    public const string NonNegative = "must be greater than or equal to 0";
    public const string TemplateMustBeEmpty = "template must be empty for workload reference rollout";
    public const string EitherVirtualServiceOrVirtualServices = "either VirtualService or VirtualServices must be configured";
    public const string NoRoutesInVirtualService = "Unable to get any of the HTTP, TCP or TLS routes for the Istio VirtualService";
    public const string InvalidHttpRoutes = "Istio VirtualService has invalid HTTP routes. Error: {0}";
    public const string HttpRouteNotFound = "HTTP Route '{0}' is not found in the defined Virtual Service.";
    public const string SingleHttpRouteRequired = "spec.http[] should be set in VirtualService and it must have exactly one route when omitting spec.strategy.canary.trafficRouting.istio.virtualService.routes";
    public const string StableServiceNotInRoute = "Stable Service '{0}' not found in route";
    public const string CanaryServiceNotInRoute = "Canary Service '{0}' not found in route";
    public const string ServiceNotFound = "services \"{0}\" not found";
    public const string ServiceUnmatchLabel = "Service \"{0}\" has unmatch label \"{1}\" in rollout";
    public const string ServiceManagedByAnother = "Service \"{0}\" is managed by another Rollout";
    public const string VirtualServiceNotFound = "virtualservices.networking.istio.io \"{0}\" not found";
    public const string DeploymentNotFound = "deployments.apps \"{0}\" not found";
    public const string WorkloadNotSupported = "workload of type {0}/{1} is not supported";

    // Not Argo rules: what this coordinator refuses because it does not implement it.
    public const string MaxTrafficWeightWithIstio = "maxTrafficWeight is not supported with Istio traffic routing";
    public const string CoordinatorNeedsWorkloadRef = "the coordinator drives rollouts that reference a Deployment through workloadRef";
    public const string CoordinatorNeedsIstio = "the coordinator requires Istio traffic routing (trafficRouting.istio)";
    public const string CoordinatorCanaryOnly = "the coordinator supports the canary strategy only";
    public const string CoordinatorUnsupportedField = "{0} is not supported by the coordinator";
    public const string CoordinatorUnsupportedStep = "step kind '{0}' is not supported by the coordinator";
    public const string CoordinatorUnsupportedDestinationRule = "subset-level traffic splitting (destinationRule) is not supported by the coordinator";
    public const string CoordinatorUnsupportedProvider = "traffic router '{0}' is not supported by the coordinator";
    public const string CoordinatorUnsupportedTlsTcp = "TLS and TCP routes are not supported by the coordinator";
    public const string OwnerConfigMapTaken = "configmaps \"{0}\" already exists and is not managed by the coordinator (it would own this rollout's ReplicaSets)";
    public const string CoordinatorUnsupportedMatchExpressions = "matchExpressions are not supported by the coordinator";
}
