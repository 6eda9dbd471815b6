namespace Coordinator.Domain.Manifest;

/// <summary>
/// The fields of Argo's Rollout v1alpha1 objects (pkg/apis/rollouts/v1alpha1/types.go) the reader walks, by JSON name.
/// Anything else is an unknown field and refused, as <c>kubectl --validate=strict</c> would. Objects the coordinator
/// refuses as a whole (analysis, antiAffinity, pingPong, other traffic routers, ...) are not walked.
/// </summary>
internal static class RolloutSchema
{
    public static readonly IReadOnlySet<string> Document = Set("apiVersion", "kind", "metadata", "spec", "status");

    /// <summary>metav1.ObjectMeta.</summary>
    public static readonly IReadOnlySet<string> ObjectMeta = Set(
        "name", "generateName", "namespace", "selfLink", "uid", "resourceVersion", "generation", "creationTimestamp",
        "deletionTimestamp", "deletionGracePeriodSeconds", "labels", "annotations", "ownerReferences", "finalizers", "managedFields");

    public static readonly IReadOnlySet<string> Spec = Set(
        "replicas", "selector", "template", "workloadRef", "minReadySeconds", "rollbackWindow", "strategy", "revisionHistoryLimit",
        "paused", "progressDeadlineSeconds", "progressDeadlineAbort", "restartAt", "analysis");

    public static readonly IReadOnlySet<string> LabelSelector = Set("matchLabels", "matchExpressions");

    public static readonly IReadOnlySet<string> PodTemplateSpec = Set("metadata", "spec");

    public static readonly IReadOnlySet<string> ObjectRef = Set("apiVersion", "kind", "name", "scaleDown");

    public static readonly IReadOnlySet<string> RollbackWindow = Set("revisions");

    public static readonly IReadOnlySet<string> Strategy = Set("blueGreen", "canary");

    public static readonly IReadOnlySet<string> Canary = Set(
        "canaryService", "stableService", "steps", "trafficRouting", "maxUnavailable", "maxSurge", "analysis", "antiAffinity",
        "canaryMetadata", "stableMetadata", "scaleDownDelaySeconds", "scaleDownDelayRevisionLimit", "abortScaleDownDelaySeconds",
        "dynamicStableScale", "pingPong", "minPodsPerReplicaSet", "replicaProgressThreshold");

    /// <summary>canaryMetadata / stableMetadata (PodTemplateMetadata).</summary>
    public static readonly IReadOnlySet<string> PodTemplateMetadata = Set("labels", "annotations");

    public static readonly IReadOnlySet<string> TrafficRouting = Set(
        "istio", "nginx", "alb", "smi", "ambassador", "appMesh", "traefik", "managedRoutes", "apisix", "plugins", "maxTrafficWeight");

    public static readonly IReadOnlySet<string> Istio = Set("virtualService", "virtualServices", "destinationRule");

    public static readonly IReadOnlySet<string> IstioVirtualService = Set("name", "routes", "tlsRoutes", "tcpRoutes");

    public static readonly IReadOnlySet<string> IstioDestinationRule = Set("name", "canarySubsetName", "stableSubsetName");

    public static readonly IReadOnlySet<string> ManagedRoute = Set("name");

    public static readonly IReadOnlySet<string> Step = Set(
        "setWeight", "pause", "experiment", "analysis", "setCanaryScale", "setHeaderRoute", "setMirrorRoute", "plugin");

    public static readonly IReadOnlySet<string> Pause = Set("duration");

    public static readonly IReadOnlySet<string> SetCanaryScale = Set("weight", "replicas", "matchTrafficWeight");

    private static HashSet<string> Set(params string[] names) => new(names, StringComparer.Ordinal);
}
