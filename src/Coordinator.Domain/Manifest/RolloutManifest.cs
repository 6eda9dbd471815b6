using System.Text.Json;
using System.Text.Json.Nodes;
using Coordinator.Domain.State;

namespace Coordinator.Domain.Manifest;

/// <summary>
/// An Argo Rollout manifest as users write it (<c>kubectl apply -f rollout.yaml</c>), YAML or JSON. Parsing checks
/// shape and types only; Argo's semantic rules are <see cref="Validation.RolloutValidator"/>'s job. Unknown fields are
/// refused as <c>kubectl --validate=strict</c> refuses them (<c>unknown field "spec.strategy.canary.foo"</c>), never
/// dropped: a misspelt field would otherwise be accepted and silently do nothing.
/// </summary>
public sealed record RolloutManifest(string Name, string? Namespace, RolloutSpec Spec)
{
    public const string ApiVersion = "argoproj.io/v1alpha1";
    public const string Kind = "Rollout";

    /// <exception cref="ManifestException">Malformed text, wrong apiVersion/kind, missing name, or a mistyped field.</exception>
    public static RolloutManifest Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var (root, lines) = ParseTree(text);
        var reader = new NodeReader(lines);
        if (root is not JsonObject document)
        {
            throw reader.Error(root, "", "expected a Rollout object");
        }

        var apiVersion = reader.String(document, "apiVersion", "");
        if (apiVersion != ApiVersion)
        {
            throw reader.Error(document["apiVersion"] ?? document, "apiVersion", $"expected \"{ApiVersion}\", got \"{apiVersion}\"");
        }

        var kind = reader.String(document, "kind", "");
        if (kind != Kind)
        {
            throw reader.Error(document["kind"] ?? document, "kind", $"expected \"{Kind}\", got \"{kind}\"");
        }

        var metadata = reader.Object(document, "metadata", "") ?? throw reader.Error(document, "metadata", "required");
        var name = reader.String(metadata, "name", "metadata");
        if (string.IsNullOrEmpty(name))
        {
            throw reader.Error(metadata, "metadata.name", "required");
        }

        var @namespace = reader.String(metadata, "namespace", "metadata");
        var spec = reader.Object(document, "spec", "") ?? throw reader.Error(document, "spec", "required");
        var specReader = new SpecReader(reader);
        specReader.CheckDocument(document);
        return new RolloutManifest(name, string.IsNullOrEmpty(@namespace) ? null : @namespace, specReader.ReadSpec(spec));
    }

    /// <summary>Like <see cref="Parse"/> but returns the error instead of throwing.</summary>
    public static bool TryParse(string text, out RolloutManifest? manifest, out ManifestException? error)
    {
        try
        {
            manifest = Parse(text);
            error = null;
            return true;
        }
        catch (ManifestException ex)
        {
            manifest = null;
            error = ex;
            return false;
        }
    }

    private static (JsonNode? Root, IReadOnlyDictionary<JsonNode, int> Lines) ParseTree(string text)
    {
        if (!text.TrimStart().StartsWith('{'))
        {
            return YamlToJson.Convert(text);
        }

        try
        {
            return (JsonNode.Parse(text), new Dictionary<JsonNode, int>());
        }
        catch (JsonException ex)
        {
            throw new ManifestException("", $"invalid JSON: {ex.Message}", (int?)ex.LineNumber + 1, ex);
        }
    }
}
