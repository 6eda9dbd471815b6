using System.Text.Json.Nodes;

namespace Coordinator.Testing;

/// <summary>ReplicaSets for garbage-collector tests: no pods (replicas 0), one controller owner reference.</summary>
public static class OwnedReplicaSets
{
    /// <summary>A ReplicaSet owned by the given reference, like the real-apiserver experiment's gc-test-N.</summary>
    public static JsonObject Create(string name, string apiVersion, string kind, string ownerName, string ownerUid) => new()
    {
        ["apiVersion"] = "apps/v1",
        ["kind"] = "ReplicaSet",
        ["metadata"] = new JsonObject
        {
            ["name"] = name,
            ["ownerReferences"] = new JsonArray(new JsonObject
            {
                ["apiVersion"] = apiVersion, ["kind"] = kind, ["name"] = ownerName, ["uid"] = ownerUid, ["controller"] = true, ["blockOwnerDeletion"] = true,
            }),
        },
        ["spec"] = new JsonObject
        {
            ["replicas"] = 0,
            ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["app"] = name } },
            ["template"] = new JsonObject
            {
                ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["app"] = name } },
                ["spec"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = "c", ["image"] = "img:1" }) },
            },
        },
    };
}
