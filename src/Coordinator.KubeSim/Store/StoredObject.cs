using Coordinator.KubeSim.Api;

namespace Coordinator.KubeSim.Store;

/// <summary>
/// One version of one object, immutable. The object is kept as its serialized UTF-8 JSON so GET/LIST/WATCH
/// copy bytes instead of re-serializing, and watch history can share the same arrays; only the few fields
/// the store itself needs (labels for selectors, owner uids for garbage collection) are kept parsed.
/// </summary>
internal sealed class StoredObject
{
    public required ResourceType Type { get; init; }
    public required string Namespace { get; init; }
    public required string Name { get; init; }
    public required string Uid { get; init; }
    public required long ResourceVersion { get; init; }
    public required byte[] Json { get; init; }
    public Dictionary<string, string>? Labels { get; init; }
    public string[]? OwnerUids { get; init; }
    public string? ControllerOwnerUid { get; init; }
    public string? ControllerOwnerKind { get; init; }
    public string? ControllerOwnerName { get; init; }
    /// <summary>Uids of the owners whose reference says blockOwnerDeletion: true (they wait for this object in a foreground deletion).</summary>
    public string[]? BlockingOwnerUids { get; init; }
    /// <summary>metadata.deletionTimestamp is set: the object waits for its finalizers.</summary>
    public bool Deleting { get; init; }
    /// <summary>Deleting in the foreground: the garbage collector deletes its blocking dependents, then drops the finalizer.</summary>
    public bool DeletingDependents { get; init; }
    /// <summary>metadata.generation and status.observedGeneration: lets controllers skip changes they already saw.</summary>
    public long Generation { get; init; }
    public long ObservedGeneration { get; init; }

    public string? Label(string key) => Labels != null && Labels.TryGetValue(key, out var v) ? v : null;
}

internal enum WatchEventKind { Added, Modified, Deleted }

/// <summary>A committed change, as kept in the per-cluster watch history.</summary>
internal readonly record struct WatchRecord(WatchEventKind Kind, StoredObject Object)
{
    public long ResourceVersion => Object.ResourceVersion;

    public string TypeName => Kind switch
    {
        WatchEventKind.Added => "ADDED",
        WatchEventKind.Modified => "MODIFIED",
        _ => "DELETED",
    };
}
