using System.Collections.Immutable;

namespace Coordinator.Domain.State;

/// <summary><c>spec.strategy.canary</c> (ROLLOUT-BEHAVIOUR §1.2).</summary>
public sealed record CanaryStrategy
{
    public string? CanaryService { get; init; }

    public string? StableService { get; init; }

    public TrafficRouting? TrafficRouting { get; init; }

    public ImmutableArray<CanaryStep> Steps { get; init; } = [];

    public IntOrString? MaxSurge { get; init; }

    public IntOrString? MaxUnavailable { get; init; }

    public int? ScaleDownDelaySeconds { get; init; }

    public int? ScaleDownDelayRevisionLimit { get; init; }

    public int? AbortScaleDownDelaySeconds { get; init; }

    public bool DynamicStableScale { get; init; }

    public int? MinPodsPerReplicaSet { get; init; }

    /// <summary>Labels and annotations for the canary ReplicaSet's pods while it is the canary.</summary>
    public PodTemplateMetadata? CanaryMetadata { get; init; }

    /// <summary>Labels and annotations for the stable ReplicaSet's pods while it is the stable one.</summary>
    public PodTemplateMetadata? StableMetadata { get; init; }
}

/// <summary>Kubernetes <c>intstr.IntOrString</c>: exactly one of the two values is set.</summary>
public sealed record IntOrString
{
    public int? IntValue { get; init; }

    public string? StringValue { get; init; }

    public static IntOrString FromInt(int value) => new() { IntValue = value };

    public static IntOrString FromString(string value) => new() { StringValue = value };

    public override string ToString() => IntValue?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? StringValue ?? "";
}

/// <summary><c>spec.strategy.canary.trafficRouting</c>.</summary>
public sealed record TrafficRouting
{
    public IstioTrafficRouting? Istio { get; init; }

    public ImmutableArray<string> ManagedRoutes { get; init; } = [];

    public int? MaxTrafficWeight { get; init; }

    /// <summary>Names of other providers present (nginx, alb, smi, plugins...) so validation can refuse them.</summary>
    public ImmutableArray<string> OtherProviders { get; init; } = [];
}

/// <summary><c>trafficRouting.istio</c>: exactly one of <see cref="VirtualService"/> / <see cref="VirtualServices"/>.</summary>
public sealed record IstioTrafficRouting
{
    public IstioVirtualServiceRef? VirtualService { get; init; }

    public ImmutableArray<IstioVirtualServiceRef> VirtualServices { get; init; } = [];

    /// <summary>Subset-level splitting (§3.8); parsed, refused by the coordinator's validation.</summary>
    public IstioDestinationRule? DestinationRule { get; init; }
}

/// <summary>A referenced VirtualService; the name may be <c>name.namespace</c>.</summary>
public sealed record IstioVirtualServiceRef
{
    public string? Name { get; init; }

    public ImmutableArray<string> Routes { get; init; } = [];

    public int TlsRouteCount { get; init; }

    public int TcpRouteCount { get; init; }
}

public sealed record IstioDestinationRule
{
    public string? Name { get; init; }

    public string? CanarySubsetName { get; init; }

    public string? StableSubsetName { get; init; }
}
