using Coordinator.Domain.Manifest;

namespace Coordinator.Abstractions;

/// <summary>
/// Apply and check from manifest text, for callers that hold one manifest for one grain (tests, tools): the text is
/// parsed here, with the default limits, and refused as the grain would refuse it. Whoever sends one manifest to
/// many grains parses it once into a <see cref="ParsedManifest"/> instead.
/// </summary>
public static class RolloutGrainExtensions
{
    public static Task<RolloutSnapshot> Apply(this IRolloutGrain grain, string manifest) => grain.Apply(ParseOrRefuse(manifest));

    public static Task Check(this IRolloutGrain grain, string manifest) => grain.Check(ParseOrRefuse(manifest));

    /// <exception cref="RolloutCommandException">InvalidArgument naming the manifest, as the gRPC API refuses it.</exception>
    public static ParsedManifest ParseOrRefuse(string manifest)
    {
        try
        {
            return ParsedManifest.Parse(manifest);
        }
        catch (ManifestException ex)
        {
            throw new RolloutCommandException(CommandFailure.InvalidArgument, "manifest", $"manifest: {ex.Message}");
        }
    }
}
