using Coordinator.Abstractions;
using Coordinator.Domain.Manifest;
using Coordinator.Grpc.Security;

namespace Coordinator.Silo.Web;

/// <summary>
/// The page's buttons: POSTs that take the same authorization decision as the gRPC commands (resource, action and object
/// of the policy) and leave the same audit record, naming the HTTP request as the method.
/// </summary>
internal static class FleetUiActions
{
    /// <summary>
    /// Every POST carries this header. A cross-site form cannot set it without a CORS preflight (which the silo never
    /// answers), so a browser holding a client certificate cannot be made to press a button from another site.
    /// </summary>
    public const string RequestHeader = "X-Coordinator-Ui";

    private static readonly IReadOnlyDictionary<string, Func<IFleetRolloutGrain, Task<FleetSnapshot>>> FleetCommands =
        new Dictionary<string, Func<IFleetRolloutGrain, Task<FleetSnapshot>>>(StringComparer.Ordinal)
        {
            ["approve"] = g => g.Approve(null),
            ["halt"] = g => g.Halt(),
            ["resume"] = g => g.Resume(),
            ["abort"] = g => g.Abort(revert: false),
            ["revert"] = g => g.Revert(),
        };

    private static readonly IReadOnlyDictionary<string, Func<IRolloutGrain, Task<RolloutSnapshot>>> RolloutCommands =
        new Dictionary<string, Func<IRolloutGrain, Task<RolloutSnapshot>>>(StringComparer.Ordinal)
        {
            ["promote"] = g => g.Promote(full: false),
            ["abort"] = g => g.Abort(),
        };

    public static void Map(RouteGroupBuilder api, UiAccess ui, AuditLog audit)
    {
        api.MapPost("/fleets/{name}/{action}", async (string name, string action, HttpContext context, IGrainFactory grains) =>
        {
            if (Malformed(context, action, FleetCommands.Keys) is { } bad) return bad;
            if (KubernetesNames.SubdomainError(name) is { } error) return FleetUi.BadRequest("name", error);
            var caller = Caller.From(context);
            var method = $"POST {context.Request.Path}";
            if (ui.Refusal(caller, RbacActions.Fleets, action, name) is { } denied)
            {
                audit.Write(caller, action, name, null, "PermissionDenied", method);
                return FleetUi.Forbidden(denied);
            }
            if (caller.Authenticated) RequestedBy.Set(caller.User);
            return await RunAsync(audit, caller, action, name, null, method, async () =>
            {
                var snapshot = await FleetCommands[action](grains.GetGrain<IFleetRolloutGrain>(name));
                var clusters = snapshot.Waves.SelectMany(w => w.Clusters).Select(c => c.Cluster).ToList();
                return (Results.Json(new FleetView(snapshot, ui.FleetActionsOf(caller, name)), FleetUi.Json), clusters);
            });
        });

        api.MapPost("/rollouts/{cluster}/{ns}/{name}/{action}", async (string cluster, string ns, string name, string action, HttpContext context,
            IGrainFactory grains) =>
        {
            if (Malformed(context, action, RolloutCommands.Keys) is { } bad) return bad;
            if (KubernetesNames.SubdomainError(name) is { } nameError) return FleetUi.BadRequest("name", nameError);
            if (KubernetesNames.LabelError(ns) is { } nsError) return FleetUi.BadRequest("namespace", nsError);
            var caller = Caller.From(context);
            var key = new RolloutKey(cluster, ns, name);
            var method = $"POST {context.Request.Path}";
            var @object = $"{ns}/{name}";
            if (ui.Refusal(caller, RbacActions.Rollouts, action, RolloutAccess.ObjectOf(key)) is { } denied)
            {
                audit.Write(caller, action, @object, [cluster], "PermissionDenied", method);
                return FleetUi.Forbidden(denied);
            }
            if (await UnknownClusterAsync(grains, cluster) is { } unknown) return unknown;
            if (caller.Authenticated) RequestedBy.Set(caller.User);
            return await RunAsync(audit, caller, action, @object, [cluster], method, async () =>
            {
                await RolloutCommands[action](grains.GetGrain<IRolloutGrain>(key.ToString()));
                return (Results.Json(await FleetUiEvents.RolloutViewAsync(grains, ui, caller, key), FleetUi.Json), [cluster]);
            });
        });
    }

    /// <summary>404 naming the field when no cluster of that name is configured (a grain would otherwise be made up for it).</summary>
    public static async Task<IResult?> UnknownClusterAsync(IGrainFactory grains, string cluster)
    {
        var known = await grains.GetGrain<IFleetDirectoryGrain>(0).ListClusters(probe: false);
        return known.Any(c => c.Name == cluster) ? null
            : Results.Json(new UiError($"cluster: unknown cluster '{cluster}' (known: {string.Join(", ", known.Select(c => c.Name).Order(StringComparer.Ordinal))})", "cluster"),
                FleetUi.Json, statusCode: StatusCodes.Status404NotFound);
    }

    private static IResult? Malformed(HttpContext context, string action, IEnumerable<string> actions)
    {
        if (!context.Request.Headers.ContainsKey(RequestHeader))
            return FleetUi.BadRequest(RequestHeader, "this header must be set on the page's POSTs (it keeps other sites from posting)");
        return actions.Contains(action) ? null
            : Results.Json(new UiError($"action: unknown action '{action}' (known: {string.Join(", ", actions)})", "action"), FleetUi.Json,
                statusCode: StatusCodes.Status404NotFound);
    }

    /// <summary>Runs the command and writes its audit record with the outcome, in the gRPC API's status names.</summary>
    private static async Task<IResult> RunAsync(AuditLog audit, Caller caller, string action, string @object, IReadOnlyList<string>? clusters, string method,
        Func<Task<(IResult Result, IReadOnlyList<string> Clusters)>> command)
    {
        var result = "Unknown";
        try
        {
            var (answer, reached) = await command();
            (result, clusters) = ("OK", reached);
            return answer;
        }
        catch (RolloutCommandException ex)
        {
            result = ex.Failure.ToString();
            var status = ex.Failure switch
            {
                CommandFailure.InvalidArgument => StatusCodes.Status400BadRequest,
                CommandFailure.NotFound => StatusCodes.Status404NotFound,
                CommandFailure.FailedPrecondition => StatusCodes.Status409Conflict,
                _ => StatusCodes.Status503ServiceUnavailable,
            };
            return Results.Json(new UiError(ex.Message, ex.Field), FleetUi.Json, statusCode: status);
        }
        catch (Exception ex) when (ex is TimeoutException or OrleansException)
        {
            result = "Unavailable";
            return Results.Json(new UiError(ex.Message), FleetUi.Json, statusCode: StatusCodes.Status503ServiceUnavailable);
        }
        finally
        {
            audit.Write(caller, action, @object, clusters, result, method);
        }
    }
}
