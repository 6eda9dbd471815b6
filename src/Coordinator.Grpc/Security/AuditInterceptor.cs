using Coordinator.Abstractions;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.Extensions.Logging;

namespace Coordinator.Grpc.Security;

/// <summary>
/// Carries the authenticated user into the grains (Orleans <c>RequestContext</c>, so that a command's history entry
/// and Kubernetes Events name who asked) and writes one audit record per mutating call: who (user, groups, peer),
/// what (method, object), which clusters, the resulting status code and the time. Never logs credentials.
/// </summary>
public sealed class AuditInterceptor(ILoggerFactory loggers, TimeProvider time) : Interceptor
{
    public const string Category = AuditLog.Category;

    private readonly AuditLog _audit = new(loggers, time);

    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        var caller = Caller.From(context);
        if (caller.Authenticated) RequestedBy.Set(caller.User);
        var method = context.Method[(context.Method.LastIndexOf('/') + 1)..];
        if (!RbacActions.MutatingMethods.TryGetValue(method, out var action)) return await continuation(request, context);

        var result = StatusCode.OK;
        try
        {
            return await continuation(request, context);
        }
        catch (RpcException ex)
        {
            result = ex.StatusCode;
            throw;
        }
        catch (Exception)
        {
            result = StatusCode.Unknown;
            throw;
        }
        finally
        {
            var @object = context.UserState.TryGetValue(RolloutAccess.AuditObjectKey, out var o) ? o as string : null;
            var clusters = context.UserState.TryGetValue(RolloutAccess.AuditClustersKey, out var c) ? c as IReadOnlyList<string> : null;
            _audit.Write(caller, action, @object, clusters, result.ToString(), context.Method);
        }
    }

    public override Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        var caller = Caller.From(context);
        if (caller.Authenticated) RequestedBy.Set(caller.User);
        return continuation(request, responseStream, context);
    }
}
