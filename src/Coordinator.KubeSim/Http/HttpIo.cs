using System.Text.Json;
using System.Text.Json.Nodes;
using Coordinator.KubeSim.Api;
using Microsoft.AspNetCore.Http;

namespace Coordinator.KubeSim.Http;

/// <summary>Writing JSON bodies and Kubernetes Status errors; reading request bodies.</summary>
internal static class HttpIo
{
    public static Task WriteBytesAsync(HttpContext ctx, int status, ReadOnlyMemory<byte> body, string contentType = "application/json")
    {
        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = contentType;
        ctx.Response.ContentLength = body.Length;
        return ctx.Response.Body.WriteAsync(body).AsTask();
    }

    public static Task WriteJsonAsync(HttpContext ctx, int status, JsonNode node) =>
        WriteBytesAsync(ctx, status, JsonSerializer.SerializeToUtf8Bytes(node, Store.JsonFields.Compact));

    public static Task WriteErrorAsync(HttpContext ctx, KubeApiException e)
    {
        if (e.RetryAfterSeconds is int s) ctx.Response.Headers.RetryAfter = s.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return WriteJsonAsync(ctx, e.Code, e.ToStatus());
    }

    public static Task<byte[]> ReadBodyAsync(HttpContext ctx) => RequestBody.ReadAsync(ctx);

    public static async Task<JsonObject> ReadObjectAsync(HttpContext ctx)
    {
        // kubectl's typed generators (create namespace/deployment, ...) send protobuf; the simulator speaks JSON only.
        if ((ctx.Request.ContentType ?? "").StartsWith("application/vnd.kubernetes.protobuf", StringComparison.OrdinalIgnoreCase))
            throw new KubeApiException(415, "UnsupportedMediaType",
                "KubeSim accepts JSON request bodies only (no protobuf): use kubectl create -f / apply -f instead of generators like kubectl create namespace");
        var body = await ReadBodyAsync(ctx);
        try
        {
            if (body.Length > 0 && body.AsSpan().TrimStart(" \t\r\n"u8) is { Length: > 0 } span && span[0] != (byte)'{'
                && (ctx.Request.ContentType ?? "").Contains("yaml", StringComparison.OrdinalIgnoreCase))
                return Seed.YamlToJson.ParseDocuments(System.Text.Encoding.UTF8.GetString(body)).FirstOrDefault() ?? new JsonObject();
            return RequestBody.ParseJson(body) as JsonObject ?? throw KubeApiException.BadRequest("request body must be a JSON object");
        }
        catch (JsonException e)
        {
            throw KubeApiException.BadRequest($"the object provided is unrecognized: {e.Message}");
        }
    }
}
