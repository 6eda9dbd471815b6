using System.Text.Json.Nodes;
using Coordinator.Domain.Actions;
using Coordinator.Domain.Observation;
using Coordinator.Domain.State;

namespace Coordinator.Domain.Planning;

/// <summary>
/// Ephemeral pod metadata (<c>canaryMetadata</c> / <c>stableMetadata</c>), as Argo's <c>reconcileEphemeralMetadata</c>:
/// the canary RS carries the canary metadata and the stable RS the stable metadata; once fully promoted the new RS is
/// the stable one and gets the stable metadata instead; every other RS carries none.
/// </summary>
public static partial class RolloutPlanner
{
    private static void ReconcileEphemeralMetadata(PassContext ctx)
    {
        var fullyRolledOut = ctx.Status.StableRS is null || ctx.Status.StableRS == ctx.NewRS?.PodTemplateHash;
        if (fullyRolledOut)
        {
            SyncEphemeralMetadata(ctx, ctx.NewRS, ctx.Canary.StableMetadata);
        }
        else
        {
            SyncEphemeralMetadata(ctx, ctx.NewRS, ctx.Canary.CanaryMetadata);
            SyncEphemeralMetadata(ctx, ctx.StableRS, ctx.Canary.StableMetadata);
        }

        foreach (var rs in ctx.OtherRSs)
        {
            SyncEphemeralMetadata(ctx, rs, null);
        }
    }

    private static void SyncEphemeralMetadata(PassContext ctx, ObservedReplicaSet? rs, PodTemplateMetadata? metadata)
    {
        if (rs?.Template is null)
        {
            return;
        }

        var desired = metadata ?? PodTemplateMetadata.Empty;
        var previous = EphemeralMetadata.Parse(rs.EphemeralMetadata);
        // Moving nothing changes nothing (the usual case, on every pass): the template's maps are not copied to find out.
        var templateChanges = !(previous.IsEmpty && desired.IsEmpty) && TemplateChanges(rs.Template, previous, desired);
        var annotationChanges = rs.EphemeralMetadata != (desired.IsEmpty ? null : EphemeralMetadata.Format(desired));
        if (templateChanges || annotationChanges)
        {
            ctx.Add(new SyncEphemeralMetadata(rs.Name, rs.PodTemplateHash, previous, desired));
        }
    }

    /// <summary>
    /// The metadata a new RS is created with (Argo's <c>createNewRS</c>): the canary metadata when a different stable RS
    /// exists, else the stable metadata (a first rollout's RS becomes the stable one).
    /// </summary>
    private static PodTemplateMetadata CreationEphemeralMetadata(PassContext ctx) =>
        (ctx.StableRS is not null && ctx.StableRS.PodTemplateHash != ctx.DesiredHash ? ctx.Canary.CanaryMetadata : ctx.Canary.StableMetadata)
        ?? PodTemplateMetadata.Empty;

    private static bool TemplateChanges(JsonObject template, PodTemplateMetadata previous, PodTemplateMetadata desired)
    {
        var metadata = template["metadata"] as JsonObject;
        return EphemeralMetadata.Apply(StringMap(metadata?["labels"]), StringMap(metadata?["annotations"]), previous, desired).Changed;
    }

    private static Dictionary<string, string> StringMap(JsonNode? node) =>
        node is JsonObject map
            ? map.Where(p => p.Value is JsonValue value && value.TryGetValue<string>(out _))
                .ToDictionary(p => p.Key, p => p.Value!.GetValue<string>(), StringComparer.Ordinal)
            : new Dictionary<string, string>(StringComparer.Ordinal);
}
