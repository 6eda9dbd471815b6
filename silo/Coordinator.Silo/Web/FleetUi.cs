using System.Text.Json;
using Coordinator.Abstractions;
using Coordinator.Domain.Manifest;
using Coordinator.Grpc.Security;
using Coordinator.Silo.Security;

namespace Coordinator.Silo.Web;

/// <summary>
/// The web page of fleet progress at <c>/ui</c>: a static page (embedded) on a small JSON + Server-Sent Events API under
/// <c>/ui/api</c> that reads the same grains as the gRPC services and acts through the same authorization and audit.
/// The page's files carry no data and stay open (a browser cannot attach a bearer token to a navigation); every
/// <c>/ui/api</c> call needs a user when authentication is configured.
/// </summary>
internal static class FleetUi
{
    public const string Prefix = "/ui";

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static void Map(WebApplication app, ApiSecurity security)
    {
        var assets = UiAssets.Load();
        var ui = new UiAccess(app.Services.GetRequiredService<RolloutAccess>());
        var audit = new AuditLog(app.Services.GetRequiredService<ILoggerFactory>(), app.Services.GetService<TimeProvider>() ?? TimeProvider.System);

        // One route for /ui, /ui/ and /ui/app.js (routing does not tell /ui from /ui/): the page's relative URLs need the slash.
        app.MapGet($"{Prefix}/{{file?}}", (string? file, HttpContext context) =>
            file is not null ? assets.Serve(file, context)
            : context.Request.Path.Value!.EndsWith('/') ? assets.Serve("index.html", context)
            : Results.Redirect($"{context.Request.PathBase}{Prefix}/")).AllowAnonymous();

        var api = security.RequireApi(app.MapGroup($"{Prefix}/api"));
        api.MapGet("/me", (HttpContext context) =>
        {
            var caller = Caller.From(context);
            return Results.Json(new UiUser(caller.User, caller.Authenticated, security.Enabled), Json);
        });
        api.MapGet("/fleets", (HttpContext context, IGrainFactory grains) => Guarded(async () =>
        {
            var caller = Caller.From(context);
            var names = (await grains.GetGrain<IFleetDirectoryGrain>(0).ListFleets())
                .Where(name => ui.MayGetFleet(caller, name)).Order(StringComparer.Ordinal).ToList();
            var snapshots = await Task.WhenAll(names.Select(name => grains.GetGrain<IFleetRolloutGrain>(name).Get()));
            return Results.Json(snapshots.Where(s => s.Exists).Select(s => new FleetView(s, ui.FleetActionsOf(caller, s.Name))), Json);
        }));
        api.MapGet("/fleets/{name}", (string name, HttpContext context, IGrainFactory grains) => Guarded(async () =>
        {
            var caller = Caller.From(context);
            if (Check(ui, caller, name) is { } refused) return refused;
            var snapshot = await grains.GetGrain<IFleetRolloutGrain>(name).Get();
            return snapshot.Exists
                ? Results.Json(new FleetView(snapshot, ui.FleetActionsOf(caller, name)), Json)
                : Results.Json(new UiError($"fleet rollout '{name}' not found", "name"), Json, statusCode: StatusCodes.Status404NotFound);
        }));
        api.MapGet("/fleets/{name}/events", (string name, HttpContext context, IGrainFactory grains) =>
        {
            var caller = Caller.From(context);
            return Check(ui, caller, name) ?? TypedResults.ServerSentEvents(FleetUiEvents.StreamAsync(name, caller, grains, ui, context.RequestAborted));
        });
        api.MapGet("/rollouts/{cluster}/{ns}/{name}", (string cluster, string ns, string name, HttpContext context, IGrainFactory grains) => Guarded(async () =>
        {
            var caller = Caller.From(context);
            var key = new RolloutKey(cluster, ns, name);
            if (ui.Refusal(caller, RbacActions.Rollouts, RbacActions.Get, RolloutAccess.ObjectOf(key)) is { } denied) return Forbidden(denied);
            if (await FleetUiActions.UnknownClusterAsync(grains, cluster) is { } unknown) return unknown;
            return Results.Json(await FleetUiEvents.RolloutViewAsync(grains, ui, caller, key), Json);
        }));
        FleetUiActions.Map(api, ui, audit);
    }

    /// <summary>Null when the caller may read the fleet and its name is well formed, else the answer.</summary>
    private static IResult? Check(UiAccess ui, Caller caller, string name)
    {
        if (KubernetesNames.SubdomainError(name) is { } error) return BadRequest("name", error);
        return ui.MayGetFleet(caller, name) ? null : Forbidden(RolloutAccess.DeniedMessage(caller, RbacActions.Get, RbacActions.Fleets, name));
    }

    internal static IResult BadRequest(string field, string message) =>
        Results.Json(new UiError($"{field}: {message}", field), Json, statusCode: StatusCodes.Status400BadRequest);

    internal static IResult Forbidden(string message) => Results.Json(new UiError(message), Json, statusCode: StatusCodes.Status403Forbidden);

    /// <summary>A silo that cannot reach the grain answers 503 with the reason, as the gRPC API answers Unavailable.</summary>
    internal static async Task<IResult> Guarded(Func<Task<IResult>> read)
    {
        try
        {
            return await read();
        }
        catch (Exception ex) when (ex is TimeoutException or OrleansException)
        {
            return Results.Json(new UiError(ex.Message), Json, statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }
}
