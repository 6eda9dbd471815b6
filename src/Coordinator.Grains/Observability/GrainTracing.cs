using System.Diagnostics;

namespace Coordinator.Grains.Observability;

/// <summary>
/// The grains' spans, in the <c>Coordinator</c> ActivitySource shared with the gRPC service and the Kubernetes calls:
/// with Orleans' activity propagation a reconcile is a child of the gRPC call that caused it, and the parent of its
/// Kubernetes calls. Without a listener (no exporter configured) no span is created.
/// </summary>
internal static class GrainTracing
{
    public const string SourceName = "Coordinator";

    public static readonly ActivitySource Source = new(SourceName);
}
