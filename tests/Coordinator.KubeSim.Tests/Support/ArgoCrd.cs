using System.Text.Json.Nodes;
using Coordinator.KubeSim.Hosting;
using Coordinator.KubeSim.Seed;

namespace Coordinator.KubeSim.Tests.Support;

/// <summary>Argo Rollouts' Rollout CRD (trimmed copy in Crds/) and a Rollout object, as files and as JSON.</summary>
public static class ArgoCrd
{
    public const string Group = "argoproj.io";
    public const string Version = "v1alpha1";
    public const string ApiVersion = Group + "/" + Version;

    public static string CrdFile => Path.Combine(AppContext.BaseDirectory, "Crds", "argo-rollouts-crd.yaml");

    public static string RolloutFile => Path.Combine(AppContext.BaseDirectory, "Crds", "rollout.yaml");

    public static JsonObject Crd() => YamlToJson.ParseDocuments(File.ReadAllText(CrdFile)).Single();

    public static JsonObject Rollout(string name = "rollouts-demo")
    {
        var rollout = YamlToJson.ParseDocuments(File.ReadAllText(RolloutFile)).Single();
        rollout["metadata"]!["name"] = name;
        return rollout;
    }

    /// <summary>Installs the CRD through the cluster's store (tests of other concerns need the kind served).</summary>
    public static void Install(SimCluster cluster) => cluster.Create("customresourcedefinitions", null, Crd());
}
