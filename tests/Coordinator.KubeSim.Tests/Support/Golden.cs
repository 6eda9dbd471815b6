using System.Text.Json.Nodes;

namespace Coordinator.KubeSim.Tests.Support;

/// <summary>Objects and answers captured from a real kube-apiserver 1.24 (copies in Golden/).</summary>
public static class Golden
{
    public static string File(string name) => Path.Combine(AppContext.BaseDirectory, "Golden", name);

    public static JsonNode Read(string name) => JsonNode.Parse(System.IO.File.ReadAllText(File(name)))!;
}
