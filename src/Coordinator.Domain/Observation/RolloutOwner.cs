using Coordinator.Domain.Hashing;
using System.Globalization;
using System.Text;
using Coordinator.Domain.State;

namespace Coordinator.Domain.Observation;

/// <summary>
/// The object that owns a rollout's ReplicaSets in its cluster: one ConfigMap per rollout, in the rollout's namespace.
/// A rollout lives in the coordinator, not in the cluster, so its ReplicaSets need an owner that exists there: the
/// garbage collector deletes dependents whose owner uid is nowhere to be found (issue 10). The ConfigMap also shows the
/// rollout to cluster users (<c>kubectl get cm -l app.kubernetes.io/managed-by=coordinator</c>).
/// </summary>
/// <remarks>
/// Name: <c>&lt;rollout&gt;.rollout</c> (a DNS subdomain like the rollout's own name; the dot keeps it apart from the
/// usual <c>-</c> names users give their ConfigMaps). When that exceeds 253 characters the rollout name is cut and an
/// 8-hex-digit FNV-1a hash of the full name is appended, so distinct rollouts keep distinct owners. Label values are
/// limited to 63 characters: <see cref="RolloutLabel"/> holds the name cut the same way, the full name is in the
/// <see cref="RolloutAnnotation"/> annotation.
/// </remarks>
public static class RolloutOwner
{
    public const string ApiVersion = "v1";
    public const string Kind = "ConfigMap";
    public const string ManagedByLabel = "app.kubernetes.io/managed-by";
    public const string ManagedByValue = "coordinator";
    public const string RolloutLabel = "coordinator.io/rollout";
    public const string RolloutAnnotation = "coordinator.io/rollout";

    public const string PhaseKey = "phase";
    public const string MessageKey = "message";
    public const string StepKey = "step";
    public const string CanaryWeightKey = "canaryWeight";
    public const string StableWeightKey = "stableWeight";
    public const string RevisionKey = "revision";
    public const string CurrentPodHashKey = "currentPodHash";
    public const string StableHashKey = "stableHash";

    private const string Suffix = ".rollout";
    private const int MaxNameLength = 253;
    private const int MaxLabelValueLength = 63;

    public static string ConfigMapName(string rollout) => Fit(rollout, MaxNameLength - Suffix.Length) + Suffix;

    public static string LabelValue(string rollout) => Fit(rollout, MaxLabelValueLength);

    public static IReadOnlyDictionary<string, string> Labels(string rollout) => new Dictionary<string, string>
    {
        [ManagedByLabel] = ManagedByValue,
        [RolloutLabel] = LabelValue(rollout),
    };

    public static IReadOnlyDictionary<string, string> Annotations(string rollout) => new Dictionary<string, string>
    {
        [RolloutAnnotation] = rollout,
    };

    /// <summary>Whether an observed ConfigMap of that name is this rollout's owner (and not a user's object).</summary>
    public static bool BelongsTo(ObservedOwner owner, string rollout) =>
        owner.Labels.GetValueOrDefault(ManagedByLabel) == ManagedByValue
        && owner.Labels.GetValueOrDefault(RolloutLabel) == LabelValue(rollout);

    /// <summary>What the ConfigMap shows: the fields users look at, nothing that changes on every pass.</summary>
    public static IReadOnlyDictionary<string, string> Data(RolloutSpec spec, RolloutStatus status)
    {
        var steps = Planning.RolloutDefaults.GetSteps(spec).Count;
        var canaryWeight = status.Canary.Weights?.Canary.Weight ?? 0;
        return new Dictionary<string, string>
        {
            [PhaseKey] = status.Phase.ToString(),
            [MessageKey] = status.Message,
            [StepKey] = status.CurrentStepIndex is { } index ? string.Create(CultureInfo.InvariantCulture, $"{index}/{steps}") : "",
            [CanaryWeightKey] = canaryWeight.ToString(CultureInfo.InvariantCulture),
            [StableWeightKey] = (status.Canary.Weights?.Stable.Weight ?? 100 - canaryWeight).ToString(CultureInfo.InvariantCulture),
            [RevisionKey] = status.CurrentRevision?.ToString(CultureInfo.InvariantCulture) ?? "",
            [CurrentPodHashKey] = status.CurrentPodHash ?? "",
            [StableHashKey] = status.StableRS ?? "",
        };
    }

    /// <summary>
    /// Whether <paramref name="observed"/> is already what <see cref="Data"/> gives for this status. Asked on every planner
    /// pass: the values are compared where they are, formatted into the stack, instead of building the map each time.
    /// </summary>
    public static bool Shows(IReadOnlyDictionary<string, string> observed, RolloutSpec spec, RolloutStatus status)
    {
        if (observed.Count != DataKeys) return false;
        var canaryWeight = status.Canary.Weights?.Canary.Weight ?? 0;
        Span<char> step = stackalloc char[24];
        var stepLength = 0;
        if (status.CurrentStepIndex is { } index
            && !step.TryWrite(CultureInfo.InvariantCulture, $"{index}/{Planning.RolloutDefaults.GetSteps(spec).Count}", out stepLength)) return false;
        return Holds(observed, PhaseKey, status.Phase.ToString())
            && Holds(observed, MessageKey, status.Message)
            && Holds(observed, StepKey, step[..stepLength])
            && HoldsNumber(observed, CanaryWeightKey, canaryWeight)
            && HoldsNumber(observed, StableWeightKey, status.Canary.Weights?.Stable.Weight ?? 100 - canaryWeight)
            && (status.CurrentRevision is { } revision ? HoldsNumber(observed, RevisionKey, revision) : Holds(observed, RevisionKey, ""))
            && Holds(observed, CurrentPodHashKey, status.CurrentPodHash ?? "")
            && Holds(observed, StableHashKey, status.StableRS ?? "");
    }

    /// <summary>How many entries <see cref="Data"/> writes.</summary>
    private const int DataKeys = 8;

    private static bool Holds(IReadOnlyDictionary<string, string> observed, string key, ReadOnlySpan<char> value) =>
        observed.TryGetValue(key, out var held) && held.AsSpan().SequenceEqual(value);

    private static bool HoldsNumber(IReadOnlyDictionary<string, string> observed, string key, int number)
    {
        Span<char> text = stackalloc char[11];
        return number.TryFormat(text, out var length, provider: CultureInfo.InvariantCulture) && Holds(observed, key, text[..length]);
    }

    private static string Fit(string name, int max)
    {
        if (name.Length <= max)
        {
            return name;
        }

        var hash = Fnv1a.Hash32(Encoding.UTF8.GetBytes(name)).ToString("x8", CultureInfo.InvariantCulture);
        // Trimmed so that the cut never leaves a label ending in "." or "-" (invalid in DNS names).
        return $"{name[..(max - hash.Length - 1)].TrimEnd('.', '-')}-{hash}";
    }
}

/// <summary>The rollout's owner ConfigMap as observed.</summary>
public sealed record ObservedOwner
{
    public required string Name { get; init; }

    public required string Uid { get; init; }

    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    public IReadOnlyDictionary<string, string> Data { get; init; } = new Dictionary<string, string>();
}
