using System.Text.Json.Nodes;
using Coordinator.Domain.Actions;
using Coordinator.Domain.Observation;

namespace Coordinator.Domain.Tests.Support;

/// <summary>
/// A tiny in-memory cluster: applies planner actions to mutable objects and hands out observations. Scaling up
/// creates pods that become available only on <see cref="MakeAllAvailable"/>; scaling down removes them at once.
/// </summary>
internal sealed class FakeCluster
{
    public sealed class FakeRs
    {
        public required string Name { get; init; }
        public required string Hash { get; init; }
        public int Revision { get; set; }
        public int Replicas { get; set; }
        public int Available { get; set; }
        public DateTimeOffset? Deadline { get; set; }
        public required JsonObject Template { get; init; }
        public DateTimeOffset Created { get; init; }
        public string? ControllerUid { get; set; }
        public string? EphemeralMetadata { get; set; }
    }

    public sealed class Svc
    {
        public required string Name { get; init; }
        public Dictionary<string, string> Selector { get; } = new() { ["app"] = "rollouts-demo" };
        public Dictionary<string, string> Annotations { get; } = [];
    }

    public JsonObject DeploymentTemplate { get; set; } = Fixtures.Template("blue");
    public long DeploymentGeneration { get; set; } = 1;
    public int DeploymentReplicas { get; set; } = 1;
    public int DeploymentAvailable { get; set; } = 1;
    public bool DeploymentExists { get; set; } = true;
    public List<FakeRs> ReplicaSets { get; } = [];
    public Dictionary<string, Svc> Services { get; } = new()
    {
        [Fixtures.StableService] = new Svc { Name = Fixtures.StableService },
        [Fixtures.CanaryService] = new Svc { Name = Fixtures.CanaryService },
    };

    /// <summary>VS "rollouts-demo", route "primary": stable and canary weights.</summary>
    public int StableWeight { get; set; } = 100;
    public int CanaryWeight { get; set; }
    public bool VirtualServiceExists { get; set; } = true;
    public string RouteName { get; set; } = "primary";
    public List<EmitEvent> Events { get; } = [];

    /// <summary>The owner ConfigMap: null until created; its uid changes when it is re-created.</summary>
    public Dictionary<string, string>? OwnerData { get; set; }
    public string OwnerUid { get; set; } = "";
    public Dictionary<string, string> OwnerLabels { get; set; } = [];
    private int _ownerGeneration;
    public DateTimeOffset Now { get; set; } = Fixtures.T0;

    /// <summary>An owner ConfigMap that exists already (with no data yet), as after the rollout's first look.</summary>
    public FakeCluster WithOwner()
    {
        Apply(new WriteOwnerConfigMap(RolloutOwner.ConfigMapName(Fixtures.RolloutName), true,
            RolloutOwner.Labels(Fixtures.RolloutName), RolloutOwner.Annotations(Fixtures.RolloutName), new Dictionary<string, string>()));
        return this;
    }

    public FakeRs Rs(string hash) => ReplicaSets.Single(r => r.Hash == hash);

    public string? Selected(string service) => Services[service].Selector.GetValueOrDefault("rollouts-pod-template-hash");

    public void SetImage(string colour)
    {
        DeploymentTemplate = Fixtures.Template(colour);
        DeploymentGeneration++;
    }

    public void MakeAllAvailable()
    {
        foreach (var rs in ReplicaSets)
        {
            rs.Available = rs.Replicas;
        }

        DeploymentAvailable = DeploymentReplicas;
    }

    public bool HasUnavailablePods => ReplicaSets.Any(r => r.Available < r.Replicas) || DeploymentAvailable < DeploymentReplicas;

    public ClusterObservation Observe() => new()
    {
        RolloutName = Fixtures.RolloutName,
        Namespace = Fixtures.Namespace,
        Deployment = DeploymentExists
            ? new ObservedDeployment
            {
                Name = "rollouts-demo",
                Generation = DeploymentGeneration,
                Replicas = DeploymentReplicas,
                ReadyReplicas = DeploymentAvailable,
                AvailableReplicas = DeploymentAvailable,
                Template = (JsonObject)DeploymentTemplate.DeepClone(),
                SelectorMatchLabels = new Dictionary<string, string> { ["app"] = "rollouts-demo" },
            }
            : null,
        ReplicaSets = [.. ReplicaSets.Select(r => new ObservedReplicaSet
        {
            Name = r.Name,
            PodTemplateHash = r.Hash,
            Revision = r.Revision,
            Replicas = r.Replicas,
            StatusReplicas = r.Replicas,
            ReadyReplicas = r.Available,
            AvailableReplicas = r.Available,
            ScaleDownDeadline = r.Deadline,
            CreationTimestamp = r.Created,
            Template = (JsonObject)r.Template.DeepClone(),
            ControllerUid = r.ControllerUid,
            EphemeralMetadata = r.EphemeralMetadata,
        })],
        Owner = OwnerData is null
            ? null
            : new ObservedOwner
            {
                Name = RolloutOwner.ConfigMapName(Fixtures.RolloutName),
                Uid = OwnerUid,
                Labels = new Dictionary<string, string>(OwnerLabels),
                Data = new Dictionary<string, string>(OwnerData),
            },
        Services = [.. Services.Values.Select(s => new ObservedService
        {
            Name = s.Name,
            Selector = new Dictionary<string, string>(s.Selector),
            Annotations = new Dictionary<string, string>(s.Annotations),
        })],
        VirtualServices = VirtualServiceExists
            ?
            [
                new ObservedVirtualService
                {
                    Name = "rollouts-demo",
                    HttpRoutes =
                    [
                        new ObservedHttpRoute
                        {
                            Name = RouteName,
                            Destinations =
                            [
                                new ObservedRouteDestination { Host = Fixtures.StableService, Weight = StableWeight },
                                new ObservedRouteDestination { Host = Fixtures.CanaryService, Weight = CanaryWeight },
                            ],
                        },
                    ],
                },
            ]
            : [],
    };

    public void Apply(RolloutAction action)
    {
        switch (action)
        {
            case CreateReplicaSet create:
                ReplicaSets.Add(new FakeRs { Name = create.Name, Hash = create.PodTemplateHash, Revision = create.Revision, Replicas = create.Replicas, Template = create.Template, Created = Now, ControllerUid = OwnerUid, EphemeralMetadata = create.Annotations.GetValueOrDefault(ReplicaSetAnnotations.EphemeralMetadata) });
                break;
            case WriteOwnerConfigMap { Create: true } write:
                OwnerUid = $"owner-uid-{++_ownerGeneration}";
                OwnerLabels = new Dictionary<string, string>(write.Labels);
                OwnerData = new Dictionary<string, string>(write.Data);
                break;
            case WriteOwnerConfigMap write:
                OwnerData = new Dictionary<string, string>(write.Data);
                break;
            case DeleteOwnerConfigMap:
                OwnerData = null;
                break;
            case AdoptReplicaSet adopt:
                ReplicaSets.Single(r => r.Name == adopt.Name).ControllerUid = OwnerUid;
                break;
            case ScaleReplicaSet scale:
                var rs = ReplicaSets.Single(r => r.Name == scale.Name);
                rs.Replicas = scale.To;
                rs.Available = Math.Min(rs.Available, scale.To);
                break;
            case AnnotateReplicaSet { Key: ReplicaSetAnnotations.ScaleDownDeadline } annotate:
                ReplicaSets.Single(r => r.Name == annotate.Name).Deadline = ReplicaSetAnnotations.ParseScaleDownDeadline(annotate.Value);
                break;
            case AnnotateReplicaSet { Key: ReplicaSetAnnotations.Revision } annotate:
                ReplicaSets.Single(r => r.Name == annotate.Name).Revision = ReplicaSetAnnotations.ParseRevision(annotate.Value) ?? 0;
                break;
            case SyncEphemeralMetadata sync:
                SyncMetadata(ReplicaSets.Single(r => r.Name == sync.ReplicaSet), sync);
                break;
            case DeleteReplicaSet delete:
                ReplicaSets.RemoveAll(r => r.Name == delete.Name);
                break;
            case SwitchServiceSelector sw when sw.ToHash is null:
                Services[sw.Service].Selector.Remove("rollouts-pod-template-hash");
                break;
            case SwitchServiceSelector sw:
                Services[sw.Service].Selector["rollouts-pod-template-hash"] = sw.ToHash!;
                break;
            case SetServiceAnnotation { Value: null } an:
                Services[an.Service].Annotations.Remove(an.Key);
                break;
            case SetServiceAnnotation an:
                Services[an.Service].Annotations[an.Key] = an.Value;
                break;
            case SetVirtualServiceWeights weights:
                CanaryWeight = weights.CanaryWeight;
                StableWeight = weights.StableWeight;
                break;
            case ScaleDeployment scaleDeployment:
                DeploymentReplicas = scaleDeployment.To;
                DeploymentAvailable = Math.Min(DeploymentAvailable, scaleDeployment.To);
                break;
            case WriteDeploymentTemplate write:
                DeploymentTemplate = write.Template;
                DeploymentGeneration++;
                break;
            case EmitEvent emitted:
                Events.Add(emitted);
                break;
        }
    }

    private static void SyncMetadata(FakeRs rs, SyncEphemeralMetadata sync)
    {
        var metadata = rs.Template["metadata"] as JsonObject ?? new JsonObject();
        rs.Template["metadata"] = metadata;
        var (labels, annotations, _) = Observation.EphemeralMetadata.Apply(Map(metadata["labels"]), Map(metadata["annotations"]), sync.Previous, sync.Desired);
        metadata["labels"] = ToJson(labels);
        metadata["annotations"] = ToJson(annotations);
        rs.EphemeralMetadata = sync.Desired.IsEmpty ? null : Observation.EphemeralMetadata.Format(sync.Desired);
    }

    private static Dictionary<string, string> Map(JsonNode? node) =>
        node is JsonObject map ? map.ToDictionary(p => p.Key, p => p.Value!.GetValue<string>()) : [];

    private static JsonObject ToJson(IReadOnlyDictionary<string, string> map)
    {
        var json = new JsonObject();
        foreach (var (key, value) in map) json[key] = value;
        return json;
    }
}
