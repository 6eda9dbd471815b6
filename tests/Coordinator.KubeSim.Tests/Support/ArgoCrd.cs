using System.Text.Json.Nodes;
using Coordinator.KubeSim.Hosting;
using Coordinator.KubeSim.Seed;
using Coordinator.Testing;

namespace Coordinator.KubeSim.Tests.Support;

/// <summary>Argo Rollouts' Rollout CRD and a Rollout object (files in Coordinator.Testing) as JSON for the store.</summary>
public static class ArgoCrd
{
    public const string Group = ArgoRolloutCrd.Group;
    public const string Version = ArgoRolloutCrd.Version;
    public const string ApiVersion = ArgoRolloutCrd.ApiVersion;

    public static string CrdFile => ArgoRolloutCrd.CrdFile;

    public static JsonObject Crd() => YamlToJson.ParseDocuments(File.ReadAllText(CrdFile)).Single();

    public static JsonObject Rollout(string name = "rollouts-demo")
    {
        var rollout = YamlToJson.ParseDocuments(File.ReadAllText(ArgoRolloutCrd.RolloutFile)).Single();
        rollout["metadata"]!["name"] = name;
        return rollout;
    }

    /// <summary>Installs the CRD through the cluster's store (tests of other concerns need the kind served).</summary>
    public static void Install(SimCluster cluster) => cluster.Create("customresourcedefinitions", null, Crd());
}
