using System.Text.Json.Nodes;
using Coordinator.Domain.Hashing;
using Coordinator.Domain.Planning;
using Coordinator.Domain.Tests.Support;

namespace Coordinator.Domain.Tests;

/// <summary>
/// The hashes name ReplicaSets in clusters and are kept in every rollout's saved status: a change to how they are
/// computed must not change their values. The figures are those of the first implementation.
/// </summary>
public sealed class HashStabilityTests
{
    /// <summary>A template with what canonical JSON must get right: nulls, an empty map, escapes, arrays of objects.</summary>
    private static JsonObject Awkward() => JsonNode.Parse("""
        {
          "spec": {
            "volumes": null,
            "containers": [{ "name": "c", "image": "r/i:<tag>&'\"é", "args": ["b", "a", null], "env": [] }],
            "nodeSelector": {},
            "terminationGracePeriodSeconds": 30
          },
          "metadata": { "labels": { "rollouts-pod-template-hash": "abc", "z": "1", "a": "2" }, "creationTimestamp": null }
        }
        """)!.AsObject();

    [Fact]
    public void Pod_template_hashes_keep_their_values()
    {
        Assert.Equal("7bcf84569b", PodTemplateHash.Compute(Fixtures.Template("blue"), null));
        Assert.Equal("6c67d5b65b", PodTemplateHash.Compute(Fixtures.Template("yellow"), null));
        Assert.Equal("7455499f89", PodTemplateHash.Compute(Fixtures.Template("blue"), 1));
        Assert.Equal("dbb5b8746", PodTemplateHash.Compute(Awkward(), null));
        Assert.Equal("767fc7dfd9", PodTemplateHash.Compute(Awkward(), 7));
    }

    [Fact]
    public void The_steps_hash_keeps_its_value()
    {
        Assert.Equal("54df687fff", RolloutPlanner.StepsHash(Fixtures.SeedSpec));
    }

    [Fact]
    public void Canonical_json_sorts_keys_drops_null_properties_and_keeps_the_hash_label_unless_told()
    {
        Assert.Equal("""
            {"metadata":{"labels":{"a":"2","rollouts-pod-template-hash":"abc","z":"1"}},"spec":{"containers":[{"args":["b","a",null],"env":[],"image":"r/i:\u003Ctag\u003E\u0026\u0027\u0022\u00E9","name":"c"}],"nodeSelector":{},"terminationGracePeriodSeconds":30}}
            """, CanonicalJson.Serialize(Awkward()));
        Assert.True(ReplicaSetTemplates.AreEquivalent(Awkward(), Without(Awkward(), "rollouts-pod-template-hash")));
        Assert.False(ReplicaSetTemplates.AreEquivalent(Awkward(), Without(Awkward(), "z")));
    }

    private static JsonObject Without(JsonObject template, string label)
    {
        template["metadata"]!["labels"]!.AsObject().Remove(label);
        return template;
    }
}
