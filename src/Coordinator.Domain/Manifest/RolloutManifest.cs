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
    public static RolloutManifest Parse(string text) => Parse(text, ManifestLimits.Default);

    /// <exception cref="ManifestException">
    /// As <see cref="Parse(string)"/>, or a bound of <paramref name="limits"/> exceeded (checked before the text is parsed
    /// further than the bound), or a name Kubernetes would refuse.
    /// </exception>
    public static RolloutManifest Parse(string text, ManifestLimits limits)
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

        if (KubernetesNames.SubdomainError(name) is { } nameError)
        {
            throw reader.Error(metadata["name"], "metadata.name", nameError);
        }

        var @namespace = reader.String(metadata, "namespace", "metadata");
        if (!string.IsNullOrEmpty(@namespace) && KubernetesNames.LabelError(@namespace) is { } namespaceError)
        {
            throw reader.Error(metadata["namespace"], "metadata.namespace", namespaceError);
        }

        var spec = reader.Object(document, "spec", "") ?? throw reader.Error(document, "spec", "required");
        var specReader = new SpecReader(reader);
        specReader.CheckDocument(document);
        var manifest = new RolloutManifest(name, string.IsNullOrEmpty(@namespace) ? null : @namespace, specReader.ReadSpec(spec));
        CheckStepCount(manifest.Spec, limits);
        return manifest;
    }

    /// <summary>Like <see cref="Parse(string, ManifestLimits)"/> but returns the error instead of throwing.</summary>
    public static bool TryParse(string text, out RolloutManifest? manifest, out ManifestException? error) =>
        TryParse(text, ManifestLimits.Default, out manifest, out error);

    /// <summary>Like <see cref="Parse(string, ManifestLimits)"/> but returns the error instead of throwing.</summary>
    public static bool TryParse(string text, ManifestLimits limits, out RolloutManifest? manifest, out ManifestException? error)
    {
        try
        {
            manifest = Parse(text, limits);
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

    private static (JsonNode? Root, IReadOnlyDictionary<JsonNode, int> Lines) ParseTree(string text, ManifestLimits limits) =>
        text.TrimStart().StartsWith('{')
            ? (JsonInput.Parse(text, limits), new Dictionary<JsonNode, int>())
            : YamlToJson.Convert(text, limits);

    private static void CheckStepCount(RolloutSpec spec, ManifestLimits limits)
    {
        if (spec.Strategy.Canary is { Steps.Length: var count } && count > limits.MaxSteps)
        {
            throw ManifestException.LimitExceeded(nameof(ManifestLimits.MaxSteps), $"{count} steps exceed the limit of {limits.MaxSteps}",
                path: "spec.strategy.canary.steps");
        }
    }
}
