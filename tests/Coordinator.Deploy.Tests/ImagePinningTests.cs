using System.Text.Json;
using System.Text.RegularExpressions;
using Coordinator.Deploy.Tests.Support;
using k8s.Models;

namespace Coordinator.Deploy.Tests;

/// <summary>
/// Every image is pinned: base images of the Dockerfiles, the Deployment's container images and anything compose would
/// pull carry an exact version (x.y.z) or a digest, never `latest` or a moving tag like `10.0` or `22-slim`.
/// </summary>
public sealed partial class ImagePinningTests
{
    private static readonly string[] Dockerfiles = ["silo/Coordinator.Silo/Dockerfile", "src/Coordinator.KubeSim/Dockerfile", "deploy/azurite/Dockerfile"];

    /// <summary><c>name@sha256:&lt;64 hex&gt;</c>, or <c>name:X.Y.Z[-variant]</c> (optionally followed by a digest).</summary>
    [GeneratedRegex(@"^[a-z0-9./_-]+(:[0-9]+\.[0-9]+\.[0-9]+(-[A-Za-z0-9.-]+)?)?(@sha256:[0-9a-f]{64})?$")]
    private static partial Regex PinnedShape();

    private static bool IsPinned(string image) =>
        PinnedShape().IsMatch(image) && (image.Contains("@sha256:", StringComparison.Ordinal) || image.Contains(':', StringComparison.Ordinal));

    public static TheoryData<string> DockerfilePaths() => new(Dockerfiles);

    [Theory]
    [MemberData(nameof(DockerfilePaths))]
    public void Dockerfile_base_images_are_pinned(string path)
    {
        var dockerfile = Dockerfile.Load(path);
        var args = dockerfile.All("ARG").Select(a => a.Split('=', 2)).Where(a => a.Length == 2).ToDictionary(a => a[0], a => a[1]);
        var stages = new HashSet<string>(StringComparer.Ordinal);
        foreach (var from in dockerfile.All("FROM"))
        {
            var words = from.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var image = Regex.Replace(words[0], @"\$\{(\w+)\}", m => args.TryGetValue(m.Groups[1].Value, out var v) ? v : m.Value);
            if (words.Length == 3 && words[1].Equals("AS", StringComparison.OrdinalIgnoreCase)) stages.Add(words[2]);
            if (stages.Contains(image)) continue; // FROM an earlier stage
            Assert.True(IsPinned(image), $"{path}: FROM {image} is not pinned to an exact version or digest");
        }
    }

    [Fact]
    public void Dotnet_base_images_are_the_sdk_of_global_json_and_one_runtime()
    {
        var sdk = JsonDocument.Parse(Repo.Read("global.json")).RootElement.GetProperty("sdk").GetProperty("version").GetString();
        var runtimes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var path in Dockerfiles.Where(p => Dockerfile.Load(p).All("FROM").Any(f => f.Contains("mcr.microsoft.com/dotnet", StringComparison.Ordinal))))
        {
            var args = Dockerfile.Load(path).All("ARG").Select(a => a.Split('=', 2)).ToDictionary(a => a[0], a => a.ElementAtOrDefault(1));
            Assert.Equal(sdk, args["DOTNET_SDK_VERSION"]);
            runtimes.Add(args["ASPNET_VERSION"]!);
        }
        Assert.Single(runtimes); // silo and KubeSim images share one runtime version
    }

    [Fact]
    public void Manifest_container_images_are_pinned()
    {
        var deployments = Manifests.LoadTree("deploy/kubernetes").Select(o => o.Object).OfType<V1Deployment>().ToList();
        Assert.NotEmpty(deployments);
        foreach (var deployment in deployments)
        {
            var spec = deployment.Spec.Template.Spec;
            foreach (var container in spec.Containers.Concat(spec.InitContainers ?? []))
                Assert.True(IsPinned(container.Image), $"{deployment.Metadata.Name}/{container.Name}: image {container.Image} is not pinned");
        }
    }

    [Fact]
    public void Compose_pulls_nothing_unpinned()
    {
        var compose = ComposeFile.Load(Repo.Read("docker-compose.yml"));
        foreach (var (name, service) in compose.Services)
            Assert.True(service.Build != null || (service.Image is { } image && IsPinned(image)),
                $"service {name}: image {service.Image} would be pulled without an exact version or digest");
    }

    [Theory]
    [InlineData("node:22.21.1-bookworm-slim", true)]
    [InlineData("mcr.microsoft.com/dotnet/aspnet:10.0.12", true)]
    [InlineData("registry.example.com/coordinator/silo@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", true)]
    [InlineData("node:22-slim", false)]
    [InlineData("mcr.microsoft.com/dotnet/aspnet:10.0", false)]
    [InlineData("coordinator/silo:latest", false)]
    [InlineData("coordinator/silo", false)]
    public void Pinned_means_an_exact_version_or_a_digest(string image, bool pinned) => Assert.Equal(pinned, IsPinned(image));
}
