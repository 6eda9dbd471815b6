using System.Text.Json.Nodes;
using Coordinator.KubeSim.Hosting;

namespace Coordinator.Benchmarks;

/// <summary>Many rollouts per simulated cluster: the seed in namespace test, copied into further namespaces.</summary>
internal static class SeedNamespaces
{
    public const string SeedNamespace = "test";

    /// <summary>The seed in namespace test, then copies of its Deployment, Services and VirtualService in the other namespaces.</summary>
    public static void Seed(SimCluster cluster, IReadOnlyList<string> namespaces)
    {
        cluster.LoadSeed();
        var originals = new[] { "deployments", "services", "virtualservices.networking.istio.io" }
            .SelectMany(resource => cluster.List(resource, SeedNamespace).Select(o => (resource, o)))
            .ToList();
        foreach (var ns in namespaces.Where(n => n != SeedNamespace))
        {
            cluster.Create("namespaces", null, new JsonObject
            {
                ["metadata"] = new JsonObject { ["name"] = ns, ["labels"] = new JsonObject { ["istio-injection"] = "enabled" } },
            });
            foreach (var (resource, original) in originals) cluster.Create(resource, ns, Copy(original));
        }
    }

    /// <summary>What <c>kubectl create -f</c> of the original would send: no status, no server-set metadata or IPs.</summary>
    private static JsonObject Copy(JsonObject original)
    {
        var metadata = original["metadata"]!;
        var spec = original["spec"]!.DeepClone().AsObject();
        spec.Remove("clusterIP");
        spec.Remove("clusterIPs");
        return new JsonObject
        {
            ["apiVersion"] = original["apiVersion"]!.DeepClone(),
            ["kind"] = original["kind"]!.DeepClone(),
            ["metadata"] = new JsonObject
            {
                ["name"] = metadata["name"]!.DeepClone(),
                ["labels"] = metadata["labels"]?.DeepClone(),
                ["annotations"] = metadata["annotations"]?.DeepClone(),
            },
            ["spec"] = spec,
        };
    }
}
