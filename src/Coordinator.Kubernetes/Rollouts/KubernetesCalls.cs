using System.Net;
using Coordinator.Domain.Ports;
using Coordinator.Kubernetes.Clusters.Resilience;
using k8s.Autorest;
using Polly;

namespace Coordinator.Kubernetes.Rollouts;

/// <summary>
/// Runs one API call and translates failures into <see cref="ClusterCallException"/>. The call's deadline, retries and
/// circuit breaker are the cluster client's resilience pipeline (<see cref="ClusterResilience"/>, <c>CallTimeout</c> well
/// below the Orleans call timeout). Messages carry the status code and the server's reason, never request headers
/// (where the bearer token lives).
/// </summary>
internal static class KubernetesCalls
{
    public static async Task<T> RunAsync<T>(string what, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await call(cancellationToken);
        }
        catch (HttpOperationException ex)
        {
            throw Translate(what, ex);
        }
        catch (ExecutionRejectedException ex)
        {
            // The call timed out (retries included) or the cluster's circuit is open: the server may come back.
            throw new ClusterCallException(ClusterCallFailure.Transient, $"{what}: {ClusterResilience.Describe(ex)}", ex);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ClusterCallException(ClusterCallFailure.Transient, $"{what}: timed out", ex);
        }
        catch (HttpRequestException ex)
        {
            throw new ClusterCallException(ClusterCallFailure.Transient, $"{what}: cannot reach the API server ({ex.HttpRequestError})", ex);
        }
        catch (IOException ex)
        {
            throw new ClusterCallException(ClusterCallFailure.Transient, $"{what}: connection failed", ex);
        }
    }

    public static Task RunAsync(string what, Func<CancellationToken, Task> call, CancellationToken cancellationToken) =>
        RunAsync<bool>(what, async ct => { await call(ct); return true; }, cancellationToken);

    /// <summary>Like <see cref="RunAsync{T}"/>, but a 404 yields null instead of an exception.</summary>
    public static async Task<T?> ReadOptionalAsync<T>(string what, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
        where T : class
    {
        try
        {
            return await RunAsync(what, call, cancellationToken);
        }
        catch (ClusterCallException ex) when (ex.Failure == ClusterCallFailure.NotFound)
        {
            return null;
        }
    }

    private static ClusterCallException Translate(string what, HttpOperationException ex)
    {
        var code = ex.Response.StatusCode;
        var failure = code switch
        {
            HttpStatusCode.Conflict => ClusterCallFailure.Conflict,
            HttpStatusCode.NotFound => ClusterCallFailure.NotFound,
            HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout => ClusterCallFailure.Transient,
            >= HttpStatusCode.InternalServerError => ClusterCallFailure.Transient,
            _ => ClusterCallFailure.Rejected,
        };
        return new ClusterCallException(failure, $"{what}: {(int)code} {StatusMessage(ex.Response.Content)}", ex);
    }

    /// <summary>The <c>message</c> of a Kubernetes Status body, if the body is one.</summary>
    private static string StatusMessage(string? content)
    {
        if (string.IsNullOrEmpty(content)) return "";
        try
        {
            using var doc = System.Text.Json.JsonDocument.Parse(content);
            return doc.RootElement.TryGetProperty("message", out var message) ? message.GetString() ?? "" : "";
        }
        catch (System.Text.Json.JsonException)
        {
            return "";
        }
    }
}
