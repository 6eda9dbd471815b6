using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Coordinator.KubeSim.Api;
using Microsoft.AspNetCore.Http;

namespace Coordinator.KubeSim.Http;

/// <summary>
/// Request bodies within the apiserver's bounds: at most 3 MiB (its <c>MaxRequestBodyBytes</c>; more is refused with
/// 413 before being read whole), and JSON nested at most <see cref="MaxJsonDepth"/> levels, so no body can exhaust or
/// crash the simulator. YAML bodies are bounded by <see cref="Seed.YamlLimits"/>.
/// </summary>
internal static class RequestBody
{
    public const int MaxBytes = 3 * 1024 * 1024;

    /// <summary>System.Text.Json's default, stated: every stored object is re-read with it, so nothing deeper may get in.</summary>
    public const int MaxJsonDepth = 64;

    private static readonly JsonDocumentOptions JsonOptions = new() { MaxDepth = MaxJsonDepth };

    public static async Task<byte[]> ReadAsync(HttpContext ctx)
    {
        var declared = ctx.Request.ContentLength;
        if (declared > MaxBytes) throw TooLarge();
        using var body = new MemoryStream(declared is > 0 ? (int)declared.Value : 1024);
        var chunk = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            int read;
            while ((read = await ctx.Request.Body.ReadAsync(chunk, ctx.RequestAborted)) > 0)
            {
                // A chunked body declares no length: count what arrives.
                if (body.Length + read > MaxBytes) throw TooLarge();
                body.Write(chunk, 0, read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
        return body.ToArray();
    }

    /// <exception cref="JsonException">Malformed, or nested deeper than <see cref="MaxJsonDepth"/>.</exception>
    public static JsonNode? ParseJson(ReadOnlySpan<byte> body) => JsonNode.Parse(body, documentOptions: JsonOptions);

    private static KubeApiException TooLarge() =>
        new(413, "RequestEntityTooLarge", $"Request entity too large: limit is {MaxBytes}");
}
