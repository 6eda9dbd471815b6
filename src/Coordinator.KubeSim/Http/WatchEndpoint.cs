using System.Buffers;
using System.Text.Json;
using Coordinator.KubeSim.Api;
using Coordinator.KubeSim.Store;
using Microsoft.AspNetCore.Http;

namespace Coordinator.KubeSim.Http;

/// <summary>
/// <c>?watch=true</c>: newline-delimited <c>{"type":..,"object":..}</c> events, flushed one by one. A resourceVersion
/// older than the retained history gets what the real apiserver sends: 200, one ERROR event with a 410 Status, end.
/// </summary>
internal static class WatchEndpoint
{
    public static async Task HandleAsync(HttpContext ctx, ObjectStore store, ResourceRequest req, CancellationToken serverStopping)
    {
        var query = ctx.Request.Query;
        var filter = new WatchFilter(req.Type, req.Namespace, LabelSelector.Parse(query["labelSelector"]), FieldSelector.Parse(query["fieldSelector"]));
        string? rvText = query["resourceVersion"];
        long? since = null;
        if (!string.IsNullOrEmpty(rvText) && rvText != "0")
        {
            since = long.TryParse(rvText, out var rv) ? rv : throw KubeApiException.BadRequest($"invalid resource version \"{rvText}\"");
        }

        var initial = new List<WatchRecord>();
        Watcher watcher;
        try
        {
            watcher = store.Watch(filter, since, initial);
        }
        catch (KubeApiException e) when (e.Code == 410)
        {
            ctx.Response.StatusCode = 200;
            ctx.Response.ContentType = "application/json";
            var line = JsonSerializer.SerializeToUtf8Bytes(new System.Text.Json.Nodes.JsonObject { ["type"] = "ERROR", ["object"] = e.ToStatus() }, JsonFields.Compact);
            await ctx.Response.Body.WriteAsync(line);
            await ctx.Response.Body.WriteAsync("\n"u8.ToArray());
            return;
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ctx.RequestAborted, serverStopping);
        if (int.TryParse(query["timeoutSeconds"], out var timeout) && timeout > 0) stop.CancelAfter(TimeSpan.FromSeconds(timeout));
        try
        {
            ctx.Response.StatusCode = 200;
            ctx.Response.ContentType = "application/json";
            await ctx.Response.StartAsync(stop.Token);
            foreach (var r in initial) await WriteEventAsync(ctx, r, req.Version, stop.Token);
            await ctx.Response.Body.FlushAsync(stop.Token);
            await foreach (var r in watcher.Events.Reader.ReadAllAsync(stop.Token))
            {
                await WriteEventAsync(ctx, r, req.Version, stop.Token);
                await ctx.Response.Body.FlushAsync(stop.Token);
            }
        }
        catch (OperationCanceledException)
        {
            // Timeout, client gone or server stopping: ending the body ends the watch.
        }
        finally
        {
            store.StopWatch(watcher);
        }
    }

    private static async Task WriteEventAsync(HttpContext ctx, WatchRecord r, string version, CancellationToken ct)
    {
        var obj = ObjectBytes.ForVersion(r.Object, version);
        var head = r.Kind switch
        {
            WatchEventKind.Added => "{\"type\":\"ADDED\",\"object\":"u8,
            WatchEventKind.Modified => "{\"type\":\"MODIFIED\",\"object\":"u8,
            _ => "{\"type\":\"DELETED\",\"object\":"u8,
        };
        var length = head.Length + obj.Length + 2;
        var buffer = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            head.CopyTo(buffer);
            obj.CopyTo(buffer, head.Length);
            buffer[length - 2] = (byte)'}';
            buffer[length - 1] = (byte)'\n';
            await ctx.Response.Body.WriteAsync(buffer.AsMemory(0, length), ct);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
