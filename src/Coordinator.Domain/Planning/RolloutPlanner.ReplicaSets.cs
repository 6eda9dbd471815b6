using System.Globalization;
using System.Text.Json;
using Coordinator.Domain.Actions;
using Coordinator.Domain.Hashing;
using Coordinator.Domain.Observation;
using Coordinator.Domain.State;

namespace Coordinator.Domain.Planning;

/// <summary>Finding, creating and pruning the rollout's ReplicaSets (§3.2, §3.3, §1.1 revisionHistoryLimit).</summary>
public static partial class RolloutPlanner
{
    private static void ClassifyReplicaSets(PassContext ctx)
    {
        var all = ctx.Observed.ReplicaSets;
        var hash = PodTemplateHash.OfObservedTemplate(ctx.Template, ctx.Status.CollisionCount);
        var newRS = all.FirstOrDefault(rs => rs.PodTemplateHash == hash)
            ?? all.FirstOrDefault(rs => ReplicaSetTemplates.AreEquivalent(ReplicaSetTemplates.WithoutEphemeralMetadata(rs), ctx.Template));
        ctx.DesiredHash = newRS?.PodTemplateHash ?? hash;
        ctx.NewRS = newRS;
        ctx.StableRS = ctx.Status.StableRS is { } stable ? all.FirstOrDefault(rs => rs.PodTemplateHash == stable) : null;
        ctx.OtherRSs = [.. all.Where(rs => rs != ctx.NewRS && rs != ctx.StableRS)];
    }

    /// <summary>
    /// No RS for the desired template: create it at 0 replicas with revision max+1 (§3.3). Argo ends the pass here.
    /// An RS of the same name that is not ours means a hash collision; unlike Argo nothing bumps <c>collisionCount</c>
    /// yet: the create is refused, the pass stops and the next pass re-plans from what the cluster shows.
    /// </summary>
    private static void CreateNewReplicaSet(PassContext ctx)
    {
        var hash = ctx.DesiredHash;
        var name = $"{ctx.RolloutName}-{hash}";
        var revision = ctx.Observed.ReplicaSets.Select(rs => rs.Revision ?? 0).DefaultIfEmpty(0).Max() + 1;
        var template = ReplicaSetTemplates.WithHashLabel(ctx.Template, hash);
        var selector = new Dictionary<string, string>(ctx.Spec.Selector?.MatchLabels ?? ctx.Deployment.SelectorMatchLabels)
        {
            [ReplicaSetAnnotations.PodTemplateHashLabel] = hash,
        };
        var annotations = new Dictionary<string, string>
        {
            [ReplicaSetAnnotations.Revision] = revision.ToString(CultureInfo.InvariantCulture),
            [ReplicaSetAnnotations.DesiredReplicas] = ctx.Replicas.ToString(CultureInfo.InvariantCulture),
        };
        var labels = ReplicaSetTemplates.Labels(template);
        var ephemeral = CreationEphemeralMetadata(ctx);
        if (!ephemeral.IsEmpty)
        {
            // Only the pod template carries it (the RS's own labels stay the template's); the annotation remembers it.
            template = ReplicaSetTemplates.WithEphemeralMetadata(template, ephemeral);
            annotations[ReplicaSetAnnotations.EphemeralMetadata] = EphemeralMetadata.Format(ephemeral);
        }

        ctx.Add(new CreateReplicaSet(
            name,
            hash,
            revision,
            Replicas: 0,
            RolloutDefaults.GetMinReadySeconds(ctx.Spec),
            labels,
            annotations,
            selector,
            template,
            OwnerReference(ctx.RolloutName)));
        ctx.Add(RolloutEvents.RolloutUpdated(revision));
        ctx.Add(RolloutEvents.NewReplicaSetCreated(name, revision));
        ctx.Status = Conditions.Set(ctx.Status, Conditions.Progressing, Conditions.True, Conditions.NewReplicaSetCreatedReason,
            Conditions.NewReplicaSetCreatedMessage(name), ctx.Now);
    }

    /// <summary>
    /// Re-using an older RS for the desired template (undo, rollback) gives it the next revision and records the old
    /// number in <c>revision-history</c> (§3.3); Argo then updates the Rollout's revision ("RolloutUpdated").
    /// </summary>
    private static bool BumpReusedReplicaSetRevision(PassContext ctx)
    {
        var newRS = ctx.NewRS!;
        var maxOther = ctx.Observed.ReplicaSets.Where(rs => rs != newRS).Select(rs => rs.Revision ?? 0).DefaultIfEmpty(0).Max();
        if (newRS.Revision is { } revision && revision > maxOther)
        {
            return false;
        }

        var next = maxOther + 1;
        ctx.Add(new AnnotateReplicaSet(newRS.Name, ReplicaSetAnnotations.Revision, next.ToString(CultureInfo.InvariantCulture)));
        if (newRS.Revision is { } previous)
        {
            ctx.Add(new AnnotateReplicaSet(newRS.Name, ReplicaSetAnnotations.RevisionHistory, previous.ToString(CultureInfo.InvariantCulture)));
        }

        ctx.Add(RolloutEvents.RolloutUpdated(next));
        return true;
    }

    /// <summary>
    /// Template or steps changed since the last status (§3.12): restart the steps for the new revision. Going back to
    /// the stable template skips the steps ("Rollback to stable ReplicaSets").
    /// </summary>
    private static void ResetForNewRevision(PassContext ctx)
    {
        var newRS = ctx.NewRS!;
        var rollbackToStable = ctx.Status.StableRS is not null && ctx.Status.StableRS == ctx.DesiredHash;
        var withinWindow = !rollbackToStable && IsRollbackWithinWindow(ctx);
        var stepCount = ctx.Steps.Count;
        ctx.Status = ctx.Status with
        {
            CurrentPodHash = ctx.DesiredHash,
            CurrentStepHash = StepsHash(ctx.Spec),
            CurrentRevision = newRS.Revision,
            PauseConditions = [],
            ControllerPause = false,
            Abort = false,
            AbortedAt = null,
            PromoteFull = false,
            CurrentStepIndex = stepCount == 0 ? null : rollbackToStable || withinWindow ? stepCount : 0,
        };
        if (rollbackToStable && ctx.Start.CurrentPodHash is not null)
        {
            ctx.Add(RolloutEvents.SkipSteps("Rollback to stable ReplicaSets"));
        }
        else if (withinWindow)
        {
            ctx.Add(RolloutEvents.SkipSteps("Rollback to active ReplicaSets within RollbackWindow"));
        }
    }

    /// <summary>
    /// <c>isRollbackWithinWindow</c>: the desired ReplicaSet is older than the stable one, and fewer than
    /// <c>rollbackWindow.revisions</c> ReplicaSets were created between them. Such a rollback skips the steps.
    /// </summary>
    private static bool IsRollbackWithinWindow(PassContext ctx)
    {
        if (ctx.Spec.RollbackWindow?.Revisions is not ({ } revisions and > 0)
            || ctx.NewRS is not { } newRS || ctx.StableRS is not { } stable || newRS == stable
            || newRS.CreationTimestamp >= stable.CreationTimestamp)
        {
            return false;
        }

        var between = ctx.Observed.ReplicaSets.Count(rs => rs.CreationTimestamp < stable.CreationTimestamp && newRS.CreationTimestamp < rs.CreationTimestamp);
        return between < revisions;
    }

    /// <summary>
    /// Argo's <c>ComputeStepHash</c>: FNV-1a of the serialised steps. Kept per canary strategy (an immutable record, the
    /// same instance for as long as the spec is): every planner pass of every rollout asks for it, often twice.
    /// </summary>
    internal static string StepsHash(RolloutSpec spec) =>
        spec.Strategy.Canary is { } canary ? StepsHashes.GetValue(canary, static c => StepsHash(RolloutDefaults.GetSteps(c))) : StepsHash([]);

    private static string StepsHash(IReadOnlyList<CanaryStep> steps) =>
        JsonForm.WithBytes(steps, null, static utf8 => PodTemplateHash.ComputeForUtf8(utf8));

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<CanaryStrategy, string> StepsHashes = new();

    /// <summary>
    /// Keep at most revisionHistoryLimit old ReplicaSets; delete the oldest ones, only if scaled to zero (spec and
    /// status), never the stable or desired one (§1.1, §3.4 step 4).
    /// </summary>
    private static void DeleteReplicaSetsBeyondHistoryLimit(PassContext ctx)
    {
        var limit = RolloutDefaults.GetRevisionHistoryLimit(ctx.Spec);
        var old = ctx.OtherRSs.OrderBy(rs => rs.Revision ?? 0).ThenBy(rs => rs.CreationTimestamp).ToList();
        var excess = old.Count - limit;
        foreach (var rs in old.Where(rs => rs.Replicas == 0 && rs.StatusReplicas == 0 && !IsReferenced(ctx, rs)))
        {
            if (excess <= 0)
            {
                break;
            }

            ctx.Add(new DeleteReplicaSet(rs.Name));
            excess--;
        }
    }

    /// <summary>
    /// A ReplicaSet still serving or about to serve traffic: selected by an observed Service, or named by the weights
    /// recorded at the start of this pass (Argo's <c>isReplicaSetReferenced</c>, §3.5).
    /// </summary>
    private static bool IsReferenced(PassContext ctx, ObservedReplicaSet rs)
    {
        var hash = rs.PodTemplateHash;
        if (hash == ctx.Status.StableRS || hash == ctx.Status.CurrentPodHash)
        {
            return true;
        }

        if (ctx.Start.Canary.Weights is { } weights && (weights.Canary.PodTemplateHash == hash || weights.Stable.PodTemplateHash == hash))
        {
            return true;
        }

        return PassContext.SelectedHash(ctx.StableService) == hash || PassContext.SelectedHash(ctx.CanaryService) == hash;
    }
}
