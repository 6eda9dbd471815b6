using System.Buffers;
using System.IO.Pipelines;
using System.Text.Json;
using Coordinator.KubeSim.Api;
using Coordinator.KubeSim.Store;
using Microsoft.AspNetCore.Http;

namespace Coordinator.KubeSim.Http;

/// <summary>
/// <c>?watch=true</c>: newline-delimited <c>{"type":..,"object":..}</c> events, flushed whenever no more are queued. A resourceVersion
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
            var body = ctx.Response.BodyWriter;
            var unflushed = 0;
            foreach (var r in initial)
            {
                unflushed += WriteEvent(body, r, req.Version);
                if (unflushed < MaxUnflushedBytes) continue;
                await body.FlushAsync(stop.Token);
                unflushed = 0;
            }
            await body.FlushAsync(stop.Token);
            // As the apiserver's watch server: events are written as they come and flushed once none waits behind them,
            // so a burst goes out together.
            var events = watcher.Events.Reader;
            while (await events.WaitToReadAsync(stop.Token))
            {
                unflushed = 0;
                while (unflushed < MaxUnflushedBytes && events.TryRead(out var r)) unflushed += WriteEvent(body, r, req.Version);
                await body.FlushAsync(stop.Token);
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

    /// <summary>Events written before a flush at most (a long initial list or backlog goes out in pieces).</summary>
    private const int MaxUnflushedBytes = 64 * 1024;

    /// <returns>The bytes written.</returns>
    private static int WriteEvent(PipeWriter body, WatchRecord r, string version)
    {
        var head = r.Kind switch
        {
            WatchEventKind.Added => "{\"type\":\"ADDED\",\"object\":"u8,
            WatchEventKind.Modified => "{\"type\":\"MODIFIED\",\"object\":"u8,
            _ => "{\"type\":\"DELETED\",\"object\":"u8,
        };
        var obj = ObjectBytes.ForVersion(r.Object, version);
        body.Write(head);
        body.Write(obj);
        body.Write("}\n"u8);
        return head.Length + obj.Length + 2;
    }
}
