using System.Text.Json.Nodes;
using Coordinator.Domain.Hashing;
using Coordinator.Domain.Observation;

namespace Coordinator.Domain.Planning;

/// <summary>How a ReplicaSet is built from the Deployment's template, and how templates are compared (§3.3).</summary>
public static class ReplicaSetTemplates
{
    /// <summary>The Deployment template with <c>rollouts-pod-template-hash=&lt;hash&gt;</c> added to its labels.</summary>
    public static JsonObject WithHashLabel(JsonObject deploymentTemplate, string hash)
    {
        var copy = (JsonObject)deploymentTemplate.DeepClone();
        if (copy["metadata"] is not JsonObject metadata)
        {
            metadata = new JsonObject();
            copy["metadata"] = metadata;
        }

        if (metadata["labels"] is not JsonObject labels)
        {
            labels = new JsonObject();
            metadata["labels"] = labels;
        }

        labels[ReplicaSetAnnotations.PodTemplateHashLabel] = hash;
        return copy;
    }

    /// <summary>The template with ephemeral pod metadata (canaryMetadata / stableMetadata) added to its labels and annotations.</summary>
    public static JsonObject WithEphemeralMetadata(JsonObject template, State.PodTemplateMetadata metadata)
    {
        var copy = (JsonObject)template.DeepClone();
        if (copy["metadata"] is not JsonObject objectMeta)
        {
            objectMeta = new JsonObject();
            copy["metadata"] = objectMeta;
        }

        Merge(objectMeta, "labels", metadata.Labels);
        Merge(objectMeta, "annotations", metadata.Annotations);
        return copy;
    }

    /// <summary>
    /// The RS's template without the ephemeral metadata its annotation records: the Deployment template it was made
    /// from (plus the hash label), for undo and for matching templates.
    /// </summary>
    public static JsonObject? WithoutEphemeralMetadata(ObservedReplicaSet rs)
    {
        if (rs.Template is null || rs.EphemeralMetadata is null)
        {
            return rs.Template;
        }

        var copy = (JsonObject)rs.Template.DeepClone();
        if (copy["metadata"] is JsonObject objectMeta)
        {
            var injected = EphemeralMetadata.Parse(rs.EphemeralMetadata);
            Remove(objectMeta, "labels", injected.Labels.Keys);
            Remove(objectMeta, "annotations", injected.Annotations.Keys);
        }

        return copy;
    }

    private static void Remove(JsonObject objectMeta, string key, IEnumerable<string> names)
    {
        if (objectMeta[key] is not JsonObject map)
        {
            return;
        }

        foreach (var name in names)
        {
            map.Remove(name);
        }

        if (map.Count == 0)
        {
            objectMeta.Remove(key);
        }
    }

    private static void Merge(JsonObject objectMeta, string key, IReadOnlyDictionary<string, string> values)
    {
        if (values.Count == 0)
        {
            return;
        }

        if (objectMeta[key] is not JsonObject map)
        {
            map = new JsonObject();
            objectMeta[key] = map;
        }

        foreach (var (name, value) in values)
        {
            map[name] = value;
        }
    }

    /// <summary>Templates equal ignoring the hash label (Argo's deep-equal fallback when finding the new RS).</summary>
    public static bool AreEquivalent(JsonObject? a, JsonObject? b) =>
        a is not null && b is not null
        && CanonicalJson.AreEqual(a, b, PodTemplateHash.HashLabel);

    public static IReadOnlyDictionary<string, string> Labels(JsonObject template) =>
        Validation.RolloutValidator.TemplateLabels(template);
}
