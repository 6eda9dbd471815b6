using System.Collections.Frozen;
using System.Security.Cryptography;

namespace Coordinator.Silo.Web;

/// <summary>
/// The page's three files, embedded in the silo assembly (no CDN, no wwwroot to ship): read once, served with an ETag
/// so a reload costs a 304.
/// </summary>
internal sealed class UiAssets
{
    private static readonly (string File, string ContentType)[] Files =
    [
        ("index.html", "text/html; charset=utf-8"),
        ("app.js", "text/javascript; charset=utf-8"),
        ("app.css", "text/css; charset=utf-8"),
    ];

    private readonly FrozenDictionary<string, Asset> _assets;

    private UiAssets(FrozenDictionary<string, Asset> assets) => _assets = assets;

    public static UiAssets Load()
    {
        var assembly = typeof(UiAssets).Assembly;
        var assets = Files.ToDictionary(f => f.File, f =>
        {
            using var stream = assembly.GetManifestResourceStream($"ui/{f.File}")
                ?? throw new InvalidOperationException($"the web page's file ui/{f.File} is not embedded in the silo assembly");
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            var bytes = copy.ToArray();
            return new Asset(bytes, f.ContentType, $"\"{Convert.ToHexStringLower(SHA256.HashData(bytes))[..16]}\"");
        });
        return new UiAssets(assets.ToFrozenDictionary());
    }

    public IResult Serve(string file, HttpContext context)
    {
        if (!_assets.TryGetValue(file, out var asset)) return Results.NotFound();
        context.Response.Headers.ETag = asset.ETag;
        context.Response.Headers.CacheControl = "no-cache";
        if (context.Request.Headers.IfNoneMatch == asset.ETag) return Results.StatusCode(StatusCodes.Status304NotModified);
        return Results.Bytes(asset.Bytes, asset.ContentType);
    }

    private sealed record Asset(byte[] Bytes, string ContentType, string ETag);
}
