using k8s;
using k8s.Models;

namespace Coordinator.Deploy.Tests.Support;

/// <summary>One Kubernetes object of a manifest file, as KubernetesClient's YAML loader typed it.</summary>
public sealed record ManifestObject(string File, int Index, IKubernetesObject<V1ObjectMeta> Object)
{
    public string Kind => Object.Kind;
    public string Name => Object.Metadata.Name;
    public override string ToString() => $"{File}#{Index} {Kind}/{Name}";
}

/// <summary>
/// The manifests under deploy/, except deploy/examples/seed (the seed scenario's own objects) and deploy/examples/fleet
/// (FleetRollouts, a kind of the coordinator's own that KubernetesClient does not know: Domain.Tests parses them).
/// </summary>
public static class Manifests
{
    public const string SiloDir = "deploy/kubernetes/coordinator";
    public const string TargetDir = "deploy/kubernetes/target-cluster";
    public const string ExamplesDir = "deploy/kubernetes/examples";
    public const string NamespacedTargetDir = "deploy/kubernetes/target-cluster/namespaced";

    public static IReadOnlyList<string> Files() =>
        Directory.EnumerateFiles(Repo.PathOf("deploy"), "*.*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".yaml", StringComparison.Ordinal) || f.EndsWith(".yml", StringComparison.Ordinal))
            .Select(Repo.Relative)
            .Where(f => !f.StartsWith("deploy/examples/seed/", StringComparison.Ordinal) && !f.StartsWith("deploy/examples/fleet/", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToList();

    /// <summary>Every document of a file, loaded strictly (unknown fields and unknown apiVersion/kind throw).</summary>
    public static IReadOnlyList<ManifestObject> Load(string file) =>
        KubernetesYaml.LoadAllFromString(Repo.Read(file), strict: true)
            .Select((o, i) => new ManifestObject(file, i, (IKubernetesObject<V1ObjectMeta>)o))
            .ToList();

    /// <summary>The documents of the files directly in <paramref name="dir"/> (not in its subfolders: each is a variant of its own).</summary>
    public static IReadOnlyList<ManifestObject> LoadDir(string dir) =>
        Files().Where(f => f.StartsWith(dir + "/", StringComparison.Ordinal) && !f[(dir.Length + 1)..].Contains('/')).SelectMany(Load).ToList();

    /// <summary>The documents of every file under <paramref name="dir"/>, subfolders included.</summary>
    public static IReadOnlyList<ManifestObject> LoadTree(string dir) =>
        Files().Where(f => f.StartsWith(dir + "/", StringComparison.Ordinal)).SelectMany(Load).ToList();

    public static T Single<T>(string dir, string? name = null) where T : IKubernetesObject<V1ObjectMeta>
    {
        var matches = LoadDir(dir).Select(m => m.Object).OfType<T>().Where(o => name == null || o.Metadata.Name == name).ToList();
        Assert.True(matches.Count == 1, $"expected one {typeof(T).Name}{(name == null ? "" : " " + name)} in {dir}, found {matches.Count}");
        return matches[0];
    }
}
