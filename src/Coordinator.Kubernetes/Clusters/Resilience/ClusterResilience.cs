using System.Net;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Polly;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace Coordinator.Kubernetes.Clusters.Resilience;

/// <summary>
/// The resilience pipeline of one cluster's Kubernetes calls, built with Polly (through Microsoft.Extensions.Http.Resilience):
/// outermost the call timeout (the bound a grain sees), then retries with exponential backoff and jitter, then the
/// cluster's circuit breaker, innermost the attempt timeout. What is retried follows client-go: a request the server
/// refused (429 Too Many Requests, or a 5xx carrying Retry-After) is retried whatever its verb, after the delay the
/// server asked for, because it had no effect; a read (GET) is also retried after other 5xx, 408, transport failures
/// and attempt timeouts; a write is not, since it may have been applied (and 409 Conflict is never retried here: the
/// rollout re-reads and decides again). Every event goes to the "Polly" meter and to the log (category Polly), tagged
/// with the cluster as the pipeline instance and logged inside a scope carrying {Cluster} (<see cref="ClusterScopedLoggerFactory"/>).
/// </summary>
internal static class ClusterResilience
{
    public const string PipelineName = "kubernetes";

    /// <summary>The handlers that go in front of the transport of <paramref name="cluster"/>'s KubernetesClient, outermost first.</summary>
    public static DelegatingHandler[] Handlers(string cluster, KubernetesResilienceOptions options, ILoggerFactory? loggerFactory)
    {
        ILoggerFactory factory = loggerFactory is null ? NullLoggerFactory.Instance : new ClusterScopedLoggerFactory(loggerFactory, cluster);
        var pipeline = Build(cluster, options, factory);
        return
        [
            new ResilienceExceptStreamingHandler(pipeline),
            new AttemptResponseHandler(options.CallTimeout),
        ];
    }

    public static ResiliencePipeline<HttpResponseMessage> Build(string cluster, KubernetesResilienceOptions options, ILoggerFactory loggerFactory)
    {
        options.Validate();
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage> { Name = PipelineName, InstanceName = cluster }
            .AddTimeout(new HttpTimeoutStrategyOptions { Name = "call", Timeout = options.CallTimeout });
        if (options.MaxRetries > 0)
        {
            builder.AddRetry(new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = options.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryDelay,
                ShouldRetryAfterHeader = true,
                ShouldHandle = args => ValueTask.FromResult(ShouldRetry(args.Context.GetRequestMessage(), args.Outcome)),
            });
        }
        return builder
            .AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions
            {
                FailureRatio = options.BreakerFailureRatio,
                MinimumThroughput = options.BreakerMinimumThroughput,
                SamplingDuration = options.BreakerSamplingDuration,
                BreakDuration = options.BreakDuration,
                ShouldHandle = args => ValueTask.FromResult(IsServerFailure(args.Outcome)),
            })
            .AddTimeout(new HttpTimeoutStrategyOptions
            {
                Name = "attempt",
                // A read cut short is tried again within the call's budget; a write is not tried again, so cutting it
                // at the attempt timeout would only fail it sooner (a slow API server under load then loses writes and
                // Events it would have taken): it keeps the call's whole budget. That bound is the call timeout's
                // already, so a write's attempt gets no timer of its own (Polly skips an infinite timeout): a second
                // timer and linked token on every write, for a deadline that never came first.
                TimeoutGenerator = args => ValueTask.FromResult(IsRead(args.Context.GetRequestMessage()) ? options.AttemptTimeout : Timeout.InfiniteTimeSpan),
            })
            .ConfigureTelemetry(loggerFactory)
            .Build();
    }

    /// <summary>Whether an attempt's outcome may be tried again: always when the server refused it, else only for a read.</summary>
    internal static bool ShouldRetry(HttpRequestMessage? request, Outcome<HttpResponseMessage> outcome)
    {
        var read = IsRead(request);
        return outcome switch
        {
            { Result: { } response } => IsRefused(response)
                                        || read && (response.StatusCode == HttpStatusCode.RequestTimeout || (int)response.StatusCode >= 500),
            // The connection could not be made: the request never reached the server, whatever its verb.
            { Exception: HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError } } => true,
            { Exception: HttpRequestException or IOException or TimeoutRejectedException } => read,
            _ => false,
        };
    }

    private static bool IsRead(HttpRequestMessage? request) =>
        request is null || request.Method == HttpMethod.Get || request.Method == HttpMethod.Head;

    /// <summary>The server refused the request before acting on it (client-go retries these for every verb).</summary>
    private static bool IsRefused(HttpResponseMessage response) =>
        response.StatusCode == HttpStatusCode.TooManyRequests
        || (int)response.StatusCode >= 500 && response.Headers.RetryAfter is not null;

    /// <summary>
    /// What counts against the cluster's circuit: the server failing or not answering. 429 does not (the server is alive
    /// and said when to come back), nor does any other 4xx (an answer about the request, not the server's health).
    /// </summary>
    internal static bool IsServerFailure(Outcome<HttpResponseMessage> outcome) => outcome switch
    {
        { Result: { } response } => (int)response.StatusCode >= 500 || response.StatusCode == HttpStatusCode.RequestTimeout,
        { Exception: HttpRequestException or IOException or TimeoutRejectedException } => true,
        _ => false,
    };

    /// <summary>A short reason for a rejected call, for <see cref="Rollouts.KubernetesCalls"/>' messages.</summary>
    internal static string Describe(ExecutionRejectedException rejected) => rejected switch
    {
        BrokenCircuitException { RetryAfter: { } after } => $"circuit open after repeated failures of the API server; next try in {after.TotalSeconds:0.#}s",
        BrokenCircuitException => "circuit open after repeated failures of the API server",
        TimeoutRejectedException timeout => $"timed out after {timeout.Timeout.TotalSeconds:0.#}s",
        _ => rejected.Message,
    };
}
