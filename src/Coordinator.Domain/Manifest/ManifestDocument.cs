using System.Text.Json.Nodes;

namespace Coordinator.Domain.Manifest;

/// <summary>
/// The envelope every manifest kind shares (a Rollout, a FleetRollout): the size bound, the text read into a JSON tree
/// under the limits (YAML or JSON), then <c>apiVersion</c>, <c>kind</c> and <c>metadata.name</c> checked as the
/// apiserver checks them. What lies under <c>spec</c> is each kind's own reader's job.
/// </summary>
internal sealed record ManifestDocument(JsonObject Root, NodeReader Reader, JsonObject Metadata, string Name)
{
    /// <exception cref="ManifestException">A bound exceeded, malformed text, wrong apiVersion/kind, or a missing or invalid name.</exception>
    public static ManifestDocument Read(string text, ManifestLimits limits, string apiVersion, string kind)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(limits);
        var bytes = System.Text.Encoding.UTF8.GetByteCount(text);
        if (bytes > limits.MaxManifestBytes)
            throw ManifestException.LimitExceeded(nameof(ManifestLimits.MaxManifestBytes), $"{bytes} bytes exceeds the limit of {limits.MaxManifestBytes} bytes");
        var (root, lines) = ParseTree(text, limits);
        var reader = new NodeReader(lines);
        if (root is not JsonObject document)
        {
            throw reader.Error(root, "", $"expected a {kind} object");
        }

        var actualApiVersion = reader.String(document, "apiVersion", "");
        if (actualApiVersion != apiVersion)
        {
            throw reader.Error(document["apiVersion"] ?? document, "apiVersion", $"expected \"{apiVersion}\", got \"{actualApiVersion}\"");
        }

        var actualKind = reader.String(document, "kind", "");
        if (actualKind != kind)
        {
            throw reader.Error(document["kind"] ?? document, "kind", $"expected \"{kind}\", got \"{actualKind}\"");
        }

        var metadata = reader.Object(document, "metadata", "") ?? throw reader.Error(document, "metadata", "required");
        var name = reader.String(metadata, "name", "metadata");
        if (string.IsNullOrEmpty(name))
        {
            throw reader.Error(metadata, "metadata.name", "required");
        }

        if (KubernetesNames.SubdomainError(name) is { } nameError)
        {
            throw reader.Error(metadata["name"], "metadata.name", nameError);
        }

        return new ManifestDocument(document, reader, metadata, name);
    }

    /// <summary>The required <c>spec</c> object.</summary>
    public JsonObject Spec => Reader.Object(Root, "spec", "") ?? throw Reader.Error(Root, "spec", "required");

    private static (JsonNode? Root, IReadOnlyDictionary<JsonNode, int> Lines) ParseTree(string text, ManifestLimits limits) =>
        text.TrimStart().StartsWith('{')
            ? (JsonInput.Parse(text, limits), new Dictionary<JsonNode, int>())
            : YamlToJson.Convert(text, limits);
}
