using System.Diagnostics;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace Coordinator.Grpc.Telemetry;

/// <summary>
/// One <c>Coordinator</c> span per gRPC call (e.g. <c>coordinator.v1.Rollouts/ApplyRollout</c>): the root of what the
/// call caused, as Orleans carries the current span into the grains and they into their Kubernetes calls. Its status
/// is the call's gRPC status. Without a listener (no exporter configured) nothing is created.
/// </summary>
public sealed class CallTracingInterceptor : Interceptor
{
    public const string SourceName = "Coordinator";

    private static readonly ActivitySource Source = new(SourceName);

    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        using var span = Start(context);
        try
        {
            return await continuation(request, context);
        }
        catch (RpcException ex)
        {
            Fail(span, ex);
            throw;
        }
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        using var span = Start(context);
        try
        {
            await continuation(request, responseStream, context);
        }
        catch (RpcException ex)
        {
            Fail(span, ex);
            throw;
        }
    }

    private static Activity? Start(ServerCallContext context)
    {
        var span = Source.StartActivity(context.Method.TrimStart('/'), ActivityKind.Server);
        span?.SetTag("rpc.system", "grpc").SetTag("rpc.method", context.Method);
        return span;
    }

    private static void Fail(Activity? span, RpcException ex)
    {
        span?.SetTag("rpc.grpc.status_code", (int)ex.StatusCode);
        span?.SetStatus(ActivityStatusCode.Error, ex.Status.Detail);
    }
}
