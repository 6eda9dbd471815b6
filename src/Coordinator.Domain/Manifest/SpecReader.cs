using System.Collections.Immutable;
using System.Text.Json.Nodes;
using Coordinator.Domain.State;

namespace Coordinator.Domain.Manifest;

/// <summary>
/// Maps the <c>spec</c> JSON tree onto <see cref="RolloutSpec"/> (types.go field names). Unknown fields are refused
/// (<see cref="RolloutSchema"/>); known fields the coordinator does not execute are recorded in
/// <see cref="RolloutSpec.UnsupportedFields"/>, which validation refuses by name.
/// </summary>
internal sealed class SpecReader(NodeReader read)
{
    private static readonly string[] OtherTrafficProviders = ["nginx", "alb", "smi", "ambassador", "appMesh", "traefik", "apisix", "plugins"];

    /// <summary>Known Argo fields with no coordinator behaviour: refused by validation, naming the field.</summary>
    private static readonly string[] UnsupportedSpecFields = ["analysis"];
    private static readonly string[] UnsupportedCanaryFields =
        ["analysis", "antiAffinity", "pingPong", "replicaProgressThreshold"];

    private readonly List<string> _unsupported = [];

    /// <summary>The document's top level and metadata hold only what a Rollout object has.</summary>
    public void CheckDocument(JsonObject document)
    {
        read.RejectUnknown(document, "", RolloutSchema.Document);
        if (document["metadata"] is JsonObject metadata)
        {
            read.RejectUnknown(metadata, "metadata", RolloutSchema.ObjectMeta);
        }
    }

    public RolloutSpec ReadSpec(JsonObject spec)
    {
        const string path = "spec";
        read.RejectUnknown(spec, path, RolloutSchema.Spec);
        _unsupported.AddRange(UnsupportedSpecFields.Where(spec.ContainsKey).Select(f => $"{path}.{f}"));
        var strategy = read.Object(spec, "strategy", path);
        if (strategy is not null)
        {
            read.RejectUnknown(strategy, "spec.strategy", RolloutSchema.Strategy);
        }

        return new RolloutSpec
        {
            Replicas = read.Int(spec, "replicas", path),
            Selector = ReadSelector(spec, path),
            WorkloadRef = ReadWorkloadRef(spec, path),
            Strategy = strategy is null
                ? new RolloutStrategy()
                : new RolloutStrategy
                {
                    Canary = read.Object(strategy, "canary", "spec.strategy") is { } canary ? ReadCanary(canary, "spec.strategy.canary") : null,
                    HasBlueGreen = read.Object(strategy, "blueGreen", "spec.strategy") is not null,
                },
            MinReadySeconds = read.Int(spec, "minReadySeconds", path),
            ProgressDeadlineSeconds = read.Int(spec, "progressDeadlineSeconds", path),
            ProgressDeadlineAbort = read.Bool(spec, "progressDeadlineAbort", path),
            RevisionHistoryLimit = read.Int(spec, "revisionHistoryLimit", path),
            Paused = read.Bool(spec, "paused", path) ?? false,
            Template = ReadTemplate(spec, path),
            RollbackWindow = ReadRollbackWindow(spec, path),
            RestartAt = ReadRestartAt(spec, path),
            UnsupportedFields = [.. _unsupported],
        };
    }

    /// <summary>A <c>metav1.Time</c>: RFC3339 (<c>2024-05-01T10:00:00Z</c>, an offset, or fractional seconds).</summary>
    private DateTimeOffset? ReadRestartAt(JsonObject spec, string path)
    {
        if (read.String(spec, "restartAt", path) is not { } text)
        {
            return null;
        }

        var instant = default(DateTimeOffset);
        var rfc3339 = text.Length >= 20 && text[10] is 'T' or 't'
            && DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AdjustToUniversal, out instant);
        return rfc3339 ? instant.ToUniversalTime() : throw read.Error(spec["restartAt"], $"{path}.restartAt", $"expected an RFC3339 time such as 2024-05-01T10:00:00Z, got \"{text}\"");
    }

    private RollbackWindow? ReadRollbackWindow(JsonObject spec, string path)
    {
        var window = read.Object(spec, "rollbackWindow", path);
        if (window is null)
        {
            return null;
        }

        read.RejectUnknown(window, $"{path}.rollbackWindow", RolloutSchema.RollbackWindow);
        return new RollbackWindow { Revisions = read.Int(window, "revisions", $"{path}.rollbackWindow") };
    }

    private LabelSelector? ReadSelector(JsonObject spec, string path)
    {
        var selector = read.Object(spec, "selector", path);
        if (selector is null)
        {
            return null;
        }

        read.RejectUnknown(selector, "spec.selector", RolloutSchema.LabelSelector);
        return new LabelSelector
        {
            MatchLabels = read.StringMap(selector, "matchLabels", "spec.selector"),
            MatchExpressionCount = read.Array(selector, "matchExpressions", "spec.selector")?.Count ?? 0,
        };
    }

    private WorkloadRef? ReadWorkloadRef(JsonObject spec, string path)
    {
        var workloadRef = read.Object(spec, "workloadRef", path);
        const string child = "spec.workloadRef";
        if (workloadRef is not null)
        {
            read.RejectUnknown(workloadRef, child, RolloutSchema.ObjectRef);
        }

        return workloadRef is null
            ? null
            : new WorkloadRef
            {
                ApiVersion = read.String(workloadRef, "apiVersion", child),
                Kind = read.String(workloadRef, "kind", child),
                Name = read.String(workloadRef, "name", child),
                ScaleDown = read.String(workloadRef, "scaleDown", child),
            };
    }

    private RolloutTemplate? ReadTemplate(JsonObject spec, string path)
    {
        var template = read.Object(spec, "template", path);
        if (template is null)
        {
            return null;
        }

        read.RejectUnknown(template, "spec.template", RolloutSchema.PodTemplateSpec);
        var metadata = read.Object(template, "metadata", "spec.template");
        if (metadata is not null)
        {
            read.RejectUnknown(metadata, "spec.template.metadata", RolloutSchema.ObjectMeta);
        }

        // The pod spec is not walked: with workloadRef the template must be empty, and validation refuses one that is not.
        return new RolloutTemplate
        {
            Labels = metadata is null ? ImmutableDictionary<string, string>.Empty : read.StringMap(metadata, "labels", "spec.template.metadata"),
            Annotations = metadata is null ? ImmutableDictionary<string, string>.Empty : read.StringMap(metadata, "annotations", "spec.template.metadata"),
            HasPodSpec = template["spec"] is JsonObject { Count: > 0 },
        };
    }

    private CanaryStrategy ReadCanary(JsonObject canary, string path)
    {
        read.RejectUnknown(canary, path, RolloutSchema.Canary);
        _unsupported.AddRange(UnsupportedCanaryFields.Where(canary.ContainsKey).Select(f => $"{path}.{f}"));
        var steps = read.Array(canary, "steps", path);
        return new CanaryStrategy
        {
            CanaryService = read.String(canary, "canaryService", path),
            StableService = read.String(canary, "stableService", path),
            TrafficRouting = read.Object(canary, "trafficRouting", path) is { } routing ? ReadTrafficRouting(routing, $"{path}.trafficRouting") : null,
            Steps = steps is null ? [] : [.. steps.Select((step, i) => ReadStep(step, $"{path}.steps[{i}]"))],
            MaxSurge = read.IntOrString(canary, "maxSurge", path),
            MaxUnavailable = read.IntOrString(canary, "maxUnavailable", path),
            ScaleDownDelaySeconds = read.Int(canary, "scaleDownDelaySeconds", path),
            ScaleDownDelayRevisionLimit = read.Int(canary, "scaleDownDelayRevisionLimit", path),
            AbortScaleDownDelaySeconds = read.Int(canary, "abortScaleDownDelaySeconds", path),
            DynamicStableScale = read.Bool(canary, "dynamicStableScale", path) ?? false,
            MinPodsPerReplicaSet = read.Int(canary, "minPodsPerReplicaSet", path),
            CanaryMetadata = ReadPodMetadata(canary, "canaryMetadata", path),
            StableMetadata = ReadPodMetadata(canary, "stableMetadata", path),
        };
    }

    private PodTemplateMetadata? ReadPodMetadata(JsonObject canary, string key, string path)
    {
        if (read.Object(canary, key, path) is not { } metadata)
        {
            return null;
        }

        var fieldPath = $"{path}.{key}";
        read.RejectUnknown(metadata, fieldPath, RolloutSchema.PodTemplateMetadata);
        return new PodTemplateMetadata
        {
            Labels = read.StringMap(metadata, "labels", fieldPath),
            Annotations = read.StringMap(metadata, "annotations", fieldPath),
        };
    }

    private TrafficRouting ReadTrafficRouting(JsonObject routing, string path)
    {
        read.RejectUnknown(routing, path, RolloutSchema.TrafficRouting);
        if (routing["managedRoutes"] is JsonArray { Count: > 0 })
        {
            _unsupported.Add($"{path}.managedRoutes");
        }

        var istio = read.Object(routing, "istio", path);
        return new TrafficRouting
        {
            Istio = istio is null ? null : ReadIstio(istio, $"{path}.istio"),
            ManagedRoutes = ReadManagedRoutes(routing, path),
            MaxTrafficWeight = read.Int(routing, "maxTrafficWeight", path),
            OtherProviders = [.. OtherTrafficProviders.Where(routing.ContainsKey)],
        };
    }

    private ImmutableArray<string> ReadManagedRoutes(JsonObject routing, string path)
    {
        var routes = read.Array(routing, "managedRoutes", path);
        if (routes is null)
        {
            return [];
        }

        return [.. routes.Select((route, i) => route is JsonObject obj
            ? ReadManagedRoute(obj, $"{path}.managedRoutes[{i}]")
            : throw read.Error(route, $"{path}.managedRoutes[{i}]", "expected an object with a name"))];
    }

    private string ReadManagedRoute(JsonObject route, string path)
    {
        read.RejectUnknown(route, path, RolloutSchema.ManagedRoute);
        return read.String(route, "name", path) ?? "";
    }

    private IstioTrafficRouting ReadIstio(JsonObject istio, string path)
    {
        read.RejectUnknown(istio, path, RolloutSchema.Istio);
        var list = read.Array(istio, "virtualServices", path);
        var rule = read.Object(istio, "destinationRule", path);
        if (rule is not null)
        {
            read.RejectUnknown(rule, $"{path}.destinationRule", RolloutSchema.IstioDestinationRule);
        }

        return new IstioTrafficRouting
        {
            VirtualService = read.Object(istio, "virtualService", path) is { } single ? ReadVirtualServiceRef(single, $"{path}.virtualService") : null,
            VirtualServices = list is null
                ? []
                : [.. list.Select((vs, i) => vs is JsonObject obj
                    ? ReadVirtualServiceRef(obj, $"{path}.virtualServices[{i}]")
                    : throw read.Error(vs, $"{path}.virtualServices[{i}]", "expected an object"))],
            DestinationRule = rule is null
                ? null
                : new IstioDestinationRule
                {
                    Name = read.String(rule, "name", $"{path}.destinationRule"),
                    CanarySubsetName = read.String(rule, "canarySubsetName", $"{path}.destinationRule"),
                    StableSubsetName = read.String(rule, "stableSubsetName", $"{path}.destinationRule"),
                },
        };
    }

    private IstioVirtualServiceRef ReadVirtualServiceRef(JsonObject vs, string path)
    {
        read.RejectUnknown(vs, path, RolloutSchema.IstioVirtualService);
        return new IstioVirtualServiceRef
        {
            Name = read.String(vs, "name", path),
            Routes = read.StringList(vs, "routes", path),
            TlsRouteCount = read.Array(vs, "tlsRoutes", path)?.Count ?? 0,
            TcpRouteCount = read.Array(vs, "tcpRoutes", path)?.Count ?? 0,
        };
    }

    private CanaryStep ReadStep(JsonNode? node, string path)
    {
        if (node is not JsonObject step)
        {
            throw read.Error(node, path, "expected a step object");
        }

        read.RejectUnknown(step, path, RolloutSchema.Step);
        var pause = step.ContainsKey("pause") ? read.Object(step, "pause", path) ?? new JsonObject() : null;
        if (pause is not null)
        {
            read.RejectUnknown(pause, $"{path}.pause", RolloutSchema.Pause);
        }

        var scale = read.Object(step, "setCanaryScale", path);
        if (scale is not null)
        {
            read.RejectUnknown(scale, $"{path}.setCanaryScale", RolloutSchema.SetCanaryScale);
        }

        return new CanaryStep
        {
            SetWeight = read.Int(step, "setWeight", path),
            Pause = pause is null ? null : new PauseStep { Duration = read.IntOrString(pause, "duration", $"{path}.pause") },
            SetCanaryScale = scale is null
                ? null
                : new SetCanaryScaleStep
                {
                    Replicas = read.Int(scale, "replicas", $"{path}.setCanaryScale"),
                    Weight = read.Int(scale, "weight", $"{path}.setCanaryScale"),
                    MatchTrafficWeight = read.Bool(scale, "matchTrafficWeight", $"{path}.setCanaryScale") ?? false,
                },
            Analysis = read.Object(step, "analysis", path)?.ToJsonString(),
            Experiment = read.Object(step, "experiment", path)?.ToJsonString(),
            SetHeaderRoute = NamedStep(step, "setHeaderRoute", path),
            SetMirrorRoute = NamedStep(step, "setMirrorRoute", path),
            Plugin = NamedStep(step, "plugin", path),
        };
    }

    private string? NamedStep(JsonObject step, string key, string path) =>
        read.Object(step, key, path) is { } obj ? read.String(obj, "name", $"{path}.{key}") ?? "" : null;
}
