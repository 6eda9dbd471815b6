using System.Text.Json.Nodes;
using Coordinator.KubeSim.Api;
using Coordinator.KubeSim.Store;

namespace Coordinator.KubeSim.Seed;

/// <summary>
/// The seed experiment's starting point: namespace <c>test</c> (istio-injection=enabled) with the manifests of
/// shared/seed/manifests (embedded verbatim), created as <c>kubectl -n test create -f</c> would.
/// </summary>
internal static class SeedScenario
{
    public const string Namespace = "test";
    private static readonly string[] Manifests = ["services.yaml", "deployments.yaml", "virtualsvc.yaml"];

    public static void Load(ObjectStore store)
    {
        CreateIgnoringExisting(store, ResourceCatalog.Namespaces, "", new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = Namespace, ["labels"] = new JsonObject { ["istio-injection"] = "enabled" } },
        });
        foreach (var manifest in Manifests)
        {
            foreach (var doc in YamlToJson.ParseDocuments(ReadManifest(manifest)))
            {
                var type = TypeOf(doc);
                CreateIgnoringExisting(store, type, Namespace, doc);
            }
        }
    }

    public static string ReadManifest(string fileName)
    {
        using var stream = typeof(SeedScenario).Assembly.GetManifestResourceStream("seed/" + fileName)
            ?? throw new InvalidOperationException($"embedded seed manifest {fileName} is missing");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private static ResourceType TypeOf(JsonObject doc)
    {
        var apiVersion = JsonFields.Str(doc, "apiVersion") ?? "";
        var kind = JsonFields.Str(doc, "kind") ?? "";
        var group = apiVersion.Contains('/') ? apiVersion[..apiVersion.IndexOf('/')] : "";
        return ResourceCatalog.All.First(t => t.Kind == kind && t.Group == group);
    }

    private static void CreateIgnoringExisting(ObjectStore store, ResourceType t, string ns, JsonObject obj)
    {
        try
        {
            store.Create(t, ns, obj);
        }
        catch (KubeApiException e) when (e.Reason == "AlreadyExists")
        {
            // Loading the seed twice leaves the first copy alone.
        }
    }
}
