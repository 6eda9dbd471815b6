using System.Reflection;

namespace Coordinator.Architecture.Tests;

/// <summary>
/// The layering of docs/architecture.md ("Layers and ports"): the Domain is pure, the grains reach clusters only through
/// the ports declared in the Domain, and the gRPC front end talks to the grains' contracts only. Each rule is checked on
/// the project file (what a build would pull in) and on the compiled assembly (what the code really uses).
/// </summary>
public sealed class LayerReferenceTests
{
    private static readonly Assembly Domain = typeof(Coordinator.Domain.Ports.IClusterGateway).Assembly;
    private static readonly Assembly Grains = typeof(Orleans.Hosting.CoordinatorSiloBuilderExtensions).Assembly;
    private static readonly Assembly Grpc = typeof(Coordinator.Grpc.RolloutsService).Assembly;

    [Fact]
    public void Domain_references_neither_Orleans_nor_KubernetesClient_nor_another_project()
    {
        var project = ProjectFile.Load("Coordinator.Domain");
        Assert.Empty(project.ProjectReferences);
        Assert.DoesNotContain(project.PackageReferences, p => IsOrleans(p) || IsKubernetesClient(p));
        Assert.DoesNotContain(ReferencedNames(Domain), a => IsOrleans(a) || IsKubernetesClient(a) || IsOurs(a));
    }

    [Fact]
    public void Grains_reach_clusters_only_through_ports()
    {
        var project = ProjectFile.Load("Coordinator.Grains");
        Assert.DoesNotContain("Coordinator.Kubernetes", project.ProjectReferences);
        Assert.DoesNotContain(project.PackageReferences, IsKubernetesClient);
        Assert.DoesNotContain(ReferencedNames(Grains), a => a == "Coordinator.Kubernetes" || IsKubernetesClient(a));
    }

    [Fact]
    public void Grpc_references_only_Abstractions_among_our_projects()
    {
        var project = ProjectFile.Load("Coordinator.Grpc");
        Assert.Equal(["Coordinator.Abstractions"], project.ProjectReferences);
        // Documented exception: the service parses manifests with Coordinator.Domain.Manifest, which it reaches through
        // Abstractions (whose grain contracts carry Domain types); nothing else of ours.
        var ours = ReferencedNames(Grpc).Where(IsOurs).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["Coordinator.Abstractions", "Coordinator.Domain"], ours);
        Assert.DoesNotContain(ReferencedNames(Grpc), IsKubernetesClient);
    }

    private static List<string> ReferencedNames(Assembly assembly) =>
        assembly.GetReferencedAssemblies().Select(a => a.Name ?? "").ToList();

    private static bool IsOrleans(string name) => name.StartsWith("Orleans", StringComparison.Ordinal) || name.StartsWith("Microsoft.Orleans", StringComparison.Ordinal);

    private static bool IsKubernetesClient(string name) => name is "KubernetesClient" or "KubernetesClient.Models";

    private static bool IsOurs(string name) => name.StartsWith("Coordinator.", StringComparison.Ordinal);
}
