namespace Coordinator.KubeSim.Api;

/// <summary>One kind of object the simulator serves (like an entry of the apiserver's REST storage map).</summary>
internal sealed class ResourceType
{
    public required string Group { get; init; }
    /// <summary>Served versions, preferred (storage) version first. Settable for a CRD update.</summary>
    public required string[] Versions { get; set; }
    public required string Plural { get; init; }
    public required string Singular { get; set; }
    public required string Kind { get; set; }
    public bool Namespaced { get; init; } = true;
    public string[] ShortNames { get; set; } = [];
    public string[] Categories { get; set; } = [];
    /// <summary>Custom resources (Istio, CRDs) reject strategic merge patches with 415, like the real apiserver.</summary>
    public bool IsCustomResource { get; init; }
    /// <summary>Defined by a CustomResourceDefinition of the cluster (not built into the simulator).</summary>
    public bool IsDefinedByCrd { get; init; }
    /// <summary>metadata.generation is only maintained by types that have it in real Kubernetes.</summary>
    public bool HasGeneration { get; init; }
    public bool HasStatusSubresource { get; set; } = true;
    public bool HasScaleSubresource { get; init; }
    /// <summary>A CRD's additionalPrinterColumns by version (null for built-ins, whose columns are in TableColumns).</summary>
    public IReadOnlyDictionary<string, PrinterColumn[]>? PrinterColumns { get; set; }

    public string StorageVersion => Versions[0];
    public string StorageApiVersion => ApiVersionFor(StorageVersion);
    public string ApiVersionFor(string version) => Group.Length == 0 ? version : Group + "/" + version;
    /// <summary>"deployments.apps" or "pods": the name the apiserver uses in error messages.</summary>
    public string GroupResource => Group.Length == 0 ? Plural : Plural + "." + Group;
    /// <summary>"Deployment.apps" or "Pod": the name used in validation messages.</summary>
    public string GroupKind => Group.Length == 0 ? Kind : Kind + "." + Group;
    public string ListKind => Kind + "List";

    /// <summary>Takes a changed CRD's names, versions and columns (group and plural are the CRD's immutable name).</summary>
    public void UpdateFrom(ResourceType other)
    {
        Versions = other.Versions;
        Singular = other.Singular;
        Kind = other.Kind;
        ShortNames = other.ShortNames;
        Categories = other.Categories;
        HasStatusSubresource = other.HasStatusSubresource;
        PrinterColumns = other.PrinterColumns;
    }

    public override string ToString() => GroupResource;
}

/// <summary>One additionalPrinterColumn of a CRD version.</summary>
internal sealed record PrinterColumn(string Name, string Type, string JsonPath, int Priority, string Description, string Format);
