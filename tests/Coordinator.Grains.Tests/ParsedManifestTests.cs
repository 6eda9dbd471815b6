using Coordinator.Abstractions;
using Coordinator.Grains.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace Coordinator.Grains.Tests;

/// <summary>The parsed manifest a gRPC request hands to every cluster's grain, as it crosses silos and as it stays in one.</summary>
public sealed class ParsedManifestTests
{
    [Fact]
    public void Crossing_silos_it_keeps_the_text_and_rebuilds_the_same_spec()
    {
        var text = Manifests.FastSeedRollout();
        var parsed = ParsedManifest.Parse(text);
        using var services = new ServiceCollection().AddSerializer().BuildServiceProvider();
        var serializer = services.GetRequiredService<Serializer>();

        var received = serializer.Deserialize<ParsedManifest>(serializer.SerializeToArray(parsed))!;

        Assert.Equal((text, parsed.Name, parsed.Namespace), (received.Text, received.Name, received.Namespace));
        Assert.Equal(
            System.Text.Json.JsonSerializer.Serialize(parsed.Spec),
            System.Text.Json.JsonSerializer.Serialize(received.Spec));
    }

    [Fact]
    public void Within_a_silo_it_is_passed_as_is_not_copied()
    {
        var parsed = ParsedManifest.Parse(Manifests.FastSeedRollout());
        using var services = new ServiceCollection().AddSerializer().BuildServiceProvider();

        var copy = services.GetRequiredService<DeepCopier>().Copy(parsed);

        Assert.Same(parsed, copy);
    }
}
