using Coordinator.Kubernetes.Watching;
using k8s.Models;

namespace Coordinator.Kubernetes.Tests;

/// <summary>Only what a rollout acts on changes a watched object's fingerprint (and so wakes the rollout).</summary>
public sealed class ObjectFingerprintTests
{
    private static V1ReplicaSet ReplicaSet(int replicas = 1, int ready = 1, Dictionary<string, string>? annotations = null, string owner = "u1", string? phase = null) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = "rs", NamespaceProperty = "test", ResourceVersion = Guid.NewGuid().ToString(),
            Annotations = annotations ?? new Dictionary<string, string> { ["rollout.argoproj.io/revision"] = "1", ["a"] = "b" },
            OwnerReferences = [new V1OwnerReference { Uid = owner, Name = "o", Kind = "ConfigMap", ApiVersion = "v1" }],
            Labels = phase is null ? null : new Dictionary<string, string> { ["phase"] = phase },
        },
        Spec = new V1ReplicaSetSpec { Replicas = replicas, Selector = new V1LabelSelector() },
        Status = new V1ReplicaSetStatus { Replicas = replicas, ReadyReplicas = ready, AvailableReplicas = ready, ObservedGeneration = Random.Shared.Next() },
    };

    [Fact]
    public void A_replica_set_changes_with_its_counts_annotations_and_owners_only()
    {
        var fingerprint = ObjectFingerprint.Of(ReplicaSet());
        Assert.Equal(fingerprint, ObjectFingerprint.Of(ReplicaSet(phase: "relabelled"))); // labels, versions, observedGeneration: not acted on
        Assert.Equal(fingerprint, ObjectFingerprint.Of(ReplicaSet(annotations: new() { ["a"] = "b", ["rollout.argoproj.io/revision"] = "1" }))); // any order
        Assert.NotEqual(fingerprint, ObjectFingerprint.Of(ReplicaSet(replicas: 2)));
        Assert.NotEqual(fingerprint, ObjectFingerprint.Of(ReplicaSet(ready: 0)));
        Assert.NotEqual(fingerprint, ObjectFingerprint.Of(ReplicaSet(annotations: new() { ["rollout.argoproj.io/revision"] = "2", ["a"] = "b" })));
        Assert.NotEqual(fingerprint, ObjectFingerprint.Of(ReplicaSet(annotations: new() { ["rollout.argoproj.io/revision"] = "1", ["a"] = "b", ["scale-down-deadline"] = "t" })));
        // Values moved between fields are a change: "ab","c" is not "a","bc".
        Assert.NotEqual(ObjectFingerprint.Of(ReplicaSet(annotations: new() { ["ab"] = "c" })), ObjectFingerprint.Of(ReplicaSet(annotations: new() { ["a"] = "bc" })));
        Assert.NotEqual(fingerprint, ObjectFingerprint.Of(ReplicaSet(owner: "u2")));
    }

    [Fact]
    public void A_deployment_changes_with_its_generation_and_available_pods_only()
    {
        V1Deployment Deployment(long generation, int? available, int updated) => new()
        {
            Metadata = new V1ObjectMeta { Name = "d", Generation = generation },
            Status = new V1DeploymentStatus { AvailableReplicas = available, UpdatedReplicas = updated, ObservedGeneration = generation },
        };
        var fingerprint = ObjectFingerprint.Of(Deployment(1, 1, 1));
        Assert.Equal(fingerprint, ObjectFingerprint.Of(Deployment(1, 1, 0)));
        Assert.NotEqual(fingerprint, ObjectFingerprint.Of(Deployment(2, 1, 1)));
        Assert.NotEqual(fingerprint, ObjectFingerprint.Of(Deployment(1, 0, 1)));
        Assert.NotEqual(fingerprint, ObjectFingerprint.Of(Deployment(1, null, 1)));
    }

    [Fact]
    public void An_owner_config_map_changes_only_when_it_is_another_object()
    {
        V1ConfigMap Owner(string uid, string phase) => new() { Metadata = new V1ObjectMeta { Name = "o", Uid = uid }, Data = new Dictionary<string, string> { ["phase"] = phase } };
        Assert.Equal(ObjectFingerprint.Of(Owner("u", "Progressing")), ObjectFingerprint.Of(Owner("u", "Healthy")));
        Assert.NotEqual(ObjectFingerprint.Of(Owner("u", "Healthy")), ObjectFingerprint.Of(Owner("v", "Healthy")));
        Assert.Null(ObjectFingerprint.Of(new V1Service { Metadata = new V1ObjectMeta { Name = "s" } })); // every change of other kinds counts
    }
}
