extern alias cli;
using System.Collections.Concurrent;
using System.Diagnostics;
using cli::Coordinator.Grpc.V1;
using Coordinator.Silo.Observability;
using Grpc.Core;

namespace Coordinator.Silo.Tests.Observability;

/// <summary>
/// One trace from the gRPC call through the grain to each Kubernetes call: what an OTLP exporter would receive, caught
/// here by a listener on the same sources (the exporter itself is off unless a collector is configured).
/// </summary>
public sealed class TracingTests(SiloFixture silo) : IClassFixture<SiloFixture>
{
    [Fact]
    public async Task An_apply_is_one_trace_from_the_grpc_call_through_the_reconcile_to_the_kubernetes_calls()
    {
        var spans = new ConcurrentBag<Activity>();
        var traceId = ActivityTraceId.CreateRandom();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => TelemetrySetup.TraceSources.Contains(source.Name),
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity => { if (activity.TraceId == traceId) spans.Add(activity); },
        };
        ActivitySource.AddActivityListener(listener);

        // The caller's trace context, as a traced client sends it.
        var parent = $"00-{traceId}-{ActivitySpanId.CreateRandom()}-01";
        await silo.Grpc.ApplyRolloutAsync(
            new ApplyRolloutRequest { Manifest = Coordinator.Testing.Manifests.SeedRollout, Namespace = "test", Target = new Target { Clusters = { "dev" } } },
            new Metadata { { "traceparent", parent } });

        await SiloFixture.WaitUntilAsync(() => spans.Any(s => s.OperationName == "coordinator.v1.Rollouts/ApplyRollout"), "the gRPC span ends");
        var call = spans.Single(s => s.OperationName == "coordinator.v1.Rollouts/ApplyRollout");
        var reconcile = spans.First(s => s.OperationName == "reconcile");
        Assert.Equal("dev", reconcile.GetTagItem("coordinator.cluster"));
        Assert.True(IsAncestor(call, reconcile, spans), "the reconcile runs under the gRPC call's span");
        var kubernetes = spans.Where(s => s.OperationName.StartsWith("k8s ", StringComparison.Ordinal)).ToList();
        Assert.Contains(kubernetes, s => s.OperationName == "k8s Create replicasets" && IsAncestor(reconcile, s, spans));
        Assert.All(kubernetes, s => Assert.Equal("dev", s.GetTagItem("coordinator.cluster")));
    }

    private static bool IsAncestor(Activity ancestor, Activity span, IEnumerable<Activity> all)
    {
        var byId = all.ToDictionary(s => s.SpanId);
        for (var parent = span.ParentSpanId; byId.TryGetValue(parent, out var next); parent = next.ParentSpanId)
            if (next.SpanId == ancestor.SpanId) return true;
        return false;
    }
}
