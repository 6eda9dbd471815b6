namespace Coordinator.Silo.Observability;

/// <summary>Section <c>Coordinator:Metrics</c>: the Prometheus endpoint.</summary>
public sealed class MetricsOptions
{
    /// <summary>
    /// Serve <c>/metrics</c> without credentials even when the API needs them (a Prometheus that scrapes without a token).
    /// Off by default: the series name every rollout, namespace and cluster, so with authentication on a scrape needs a
    /// bearer token (Prometheus' <c>authorization</c>) like any other caller. Without authentication it is open anyway.
    /// </summary>
    public bool AllowAnonymous { get; set; }
}

/// <summary>Section <c>Coordinator:Otlp</c>: where traces (and metrics) go over OTLP; nothing is exported unless set.</summary>
public sealed class OtlpOptions
{
    /// <summary>The collector, e.g. <c>http://otel-collector:4317</c>; the standard <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> works too.</summary>
    public string? Endpoint { get; set; }
}
