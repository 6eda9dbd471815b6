using System.Text;
using Coordinator.KubeSim.Store;

namespace Coordinator.KubeSim.Http;

/// <summary>
/// Serves a stored object in the version the client asked for. Objects are stored with apiVersion first, so
/// a multi-version resource (Istio v1/v1beta1/v1alpha3, one stored object) only needs its prefix swapped.
/// </summary>
internal static class ObjectBytes
{
    public static byte[] ForVersion(StoredObject o, string version)
    {
        if (version == o.Type.StorageVersion) return o.Json;
        var storedPrefix = Encoding.UTF8.GetBytes("{\"apiVersion\":\"" + o.Type.StorageApiVersion + "\"");
        var wantedPrefix = Encoding.UTF8.GetBytes("{\"apiVersion\":\"" + o.Type.ApiVersionFor(version) + "\"");
        if (!o.Json.AsSpan().StartsWith(storedPrefix))
        {
            var node = JsonFields.ParseObject(o.Json);
            node["apiVersion"] = o.Type.ApiVersionFor(version);
            return JsonFields.ToBytes(node);
        }
        var result = new byte[o.Json.Length - storedPrefix.Length + wantedPrefix.Length];
        wantedPrefix.CopyTo(result, 0);
        o.Json.AsSpan(storedPrefix.Length).CopyTo(result.AsSpan(wantedPrefix.Length));
        return result;
    }
}
