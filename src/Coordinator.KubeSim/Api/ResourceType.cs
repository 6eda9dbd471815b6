namespace Coordinator.KubeSim.Api;

/// <summary>One kind of object the simulator serves (like an entry of the apiserver's REST storage map).</summary>
internal sealed class ResourceType
{
    public required string Group { get; init; }
    /// <summary>Served versions, preferred (storage) version first.</summary>
    public required string[] Versions { get; init; }
    public required string Plural { get; init; }
    public required string Singular { get; init; }
    public required string Kind { get; init; }
    public bool Namespaced { get; init; } = true;
    public string[] ShortNames { get; init; } = [];
    public string[] Categories { get; init; } = [];
    /// <summary>Custom resources (Istio) reject strategic merge patches with 415, like the real apiserver.</summary>
    public bool IsCustomResource { get; init; }
    /// <summary>metadata.generation is only maintained by types that have it in real Kubernetes.</summary>
    public bool HasGeneration { get; init; }
    public bool HasStatusSubresource { get; init; } = true;
    public bool HasScaleSubresource { get; init; }

    public string StorageVersion => Versions[0];
    public string StorageApiVersion => ApiVersionFor(StorageVersion);
    public string ApiVersionFor(string version) => Group.Length == 0 ? version : Group + "/" + version;
    /// <summary>"deployments.apps" or "pods": the name the apiserver uses in error messages.</summary>
    public string GroupResource => Group.Length == 0 ? Plural : Plural + "." + Group;
    /// <summary>"Deployment.apps" or "Pod": the name used in validation messages.</summary>
    public string GroupKind => Group.Length == 0 ? Kind : Kind + "." + Group;
    public string ListKind => Kind + "List";

    public override string ToString() => GroupResource;
}
