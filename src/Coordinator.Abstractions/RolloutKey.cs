namespace Coordinator.Abstractions;

/// <summary>
/// Identifies one Rollout in one cluster. It is the key of the <see cref="IRolloutGrain"/>, written
/// as <c>cluster/namespace/name</c>, so the same manifest applied to two clusters gives two grains.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record RolloutKey(
    [property: Id(0)] string Cluster,
    [property: Id(1)] string Namespace,
    [property: Id(2)] string Name)
{
    public override string ToString() => $"{Cluster}/{Namespace}/{Name}";

    public static RolloutKey Parse(string key)
    {
        var parts = key.Split('/');
        if (parts.Length != 3 || parts.Any(string.IsNullOrEmpty))
            throw new FormatException($"rollout key '{key}' is not of the form cluster/namespace/name");
        return new RolloutKey(parts[0], parts[1], parts[2]);
    }
}
