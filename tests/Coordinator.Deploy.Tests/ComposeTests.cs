using System.Diagnostics;
using System.Xml.Linq;
using Coordinator.Deploy.Tests.Support;
using Coordinator.KubeSim.Hosting;

namespace Coordinator.Deploy.Tests;

/// <summary>
/// docker-compose.yml and the Dockerfiles, checked statically (no container engine runs here): Azurite + two silos + KubeSim,
/// every image built by a Dockerfile of this repository, and the silos' environment read as the silo reads it.
/// </summary>
public sealed class ComposeTests
{
    private const string SiloDockerfile = "silo/Coordinator.Silo/Dockerfile";
    private const string KubeSimDockerfile = "src/Coordinator.KubeSim/Dockerfile";
    private const string AzuriteDockerfile = "deploy/azurite/Dockerfile";

    private static readonly ComposeFile Compose = ComposeFile.Load(Repo.Read("docker-compose.yml"));

    private static List<KeyValuePair<string, ComposeService>> Silos() =>
        Compose.Services.Where(s => s.Value.Build?.DockerfilePath == SiloDockerfile).OrderBy(s => s.Key, StringComparer.Ordinal).ToList();

    [Fact]
    public void Services_are_azurite_kubesim_and_two_silos()
    {
        Assert.Equal(new[] { "azurite", "kubesim", "silo1", "silo2" }, Compose.Services.Keys.Order(StringComparer.Ordinal).ToArray());
        Assert.Equal(new[] { "silo1", "silo2" }, Silos().Select(s => s.Key).ToArray());
        Assert.Equal(AzuriteDockerfile, Compose.Services["azurite"].Build?.DockerfilePath);
        Assert.Equal(KubeSimDockerfile, Compose.Services["kubesim"].Build?.DockerfilePath);
    }

    [Fact]
    public void Every_service_is_built_by_a_dockerfile_of_the_repository()
    {
        var imageToDockerfile = new Dictionary<string, string>();
        foreach (var (name, service) in Compose.Services)
        {
            Assert.True(service.Build != null, $"service {name} has no build: its image would be pulled, not built here");
            var context = Path.GetFullPath(Repo.PathOf(service.Build!.Context));
            Assert.True(context.StartsWith(Repo.Root, StringComparison.Ordinal) && Directory.Exists(context), $"service {name}: build context {service.Build.Context}");
            Assert.True(File.Exists(Repo.PathOf(service.Build.DockerfilePath)), $"service {name}: {service.Build.DockerfilePath} does not exist");
            Assert.NotEmpty(Dockerfile.Load(service.Build.DockerfilePath).All("FROM"));
            if (service.Image is { } image)
            {
                // One image name, one Dockerfile: two services may share an image only when they build it the same way.
                if (imageToDockerfile.TryGetValue(image, out var other)) Assert.Equal(other, service.Build.DockerfilePath);
                imageToDockerfile[image] = service.Build.DockerfilePath;
            }
        }
    }

    [Fact]
    public void Azurite_is_built_from_npm_and_keeps_its_data_in_a_named_volume()
    {
        var azurite = Compose.Services["azurite"];
        var dockerfile = Dockerfile.Load(AzuriteDockerfile);
        Assert.Matches(@"^node:(22|24)\.\d+\.\d+-", dockerfile.All("FROM").Single()); // a supported Node LTS, exact release
        Assert.Contains(dockerfile.All("RUN"), r => r.Contains("npm install", StringComparison.Ordinal) && r.Contains("azurite@", StringComparison.Ordinal));
        var cmd = string.Join(' ', dockerfile.All("CMD"));
        foreach (var flag in new[] { "--blobHost\", \"0.0.0.0", "--tableHost\", \"0.0.0.0", "--queueHost\", \"0.0.0.0", "--location\", \"/data" })
            Assert.Contains(flag, cmd);

        var volume = Assert.Single(azurite.Volumes);
        Assert.Equal("azurite-data:/data", volume);
        Assert.Contains("azurite-data", Compose.Volumes.Keys);
        Assert.NotNull(azurite.Healthcheck);
        Assert.Equal(new[] { "10000", "10001", "10002" }, azurite.Ports.Select(p => p.Split(':').Last()).Order().ToArray());
    }

    [Fact]
    public void Kubesim_listens_beyond_loopback_and_advertises_its_service_name()
    {
        var kubesim = Compose.Services["kubesim"];
        var parsed = CommandLine.Parse(kubesim.Command!, out var error);
        Assert.True(parsed != null, error);
        Assert.Equal("0.0.0.0", parsed!.BindAddress);
        Assert.Equal("kubesim", parsed.AdvertisedHost);
        Assert.True(parsed.Port > 0);
        Assert.True(parsed.Seed);
        Assert.Contains(kubesim.Ports, p => p.EndsWith(":" + parsed.Port, StringComparison.Ordinal));
        Assert.NotNull(kubesim.Healthcheck);
    }

    [Fact]
    public void Silos_share_one_durable_orleans_cluster_on_azurite_and_drive_the_kubesim_fleet()
    {
        var kubesim = CommandLine.Parse(Compose.Services["kubesim"].Command!, out _)!;
        var settings = new List<SiloSettings>();
        foreach (var (name, silo) in Silos())
        {
            Assert.Equal("service_healthy", silo.DependsOn["azurite"].Condition);
            Assert.Equal("service_healthy", silo.DependsOn["kubesim"].Condition);
            foreach (var key in silo.Environment.Keys.Where(k => k.StartsWith("Coordinator", StringComparison.Ordinal)))
                Assert.True(SiloSettings.IsKnownEnvironmentKey(key), $"{name}: {key} is not a key of the silo's configuration");

            var s = SiloSettings.FromEnvironment(silo.Environment);
            Assert.Equal(SiloSettings.StorageProvider.AzureStorage, s.Storage.Provider);
            Assert.Equal(SiloSettings.ClusteringMode.AzureStorage, s.Clustering);
            Assert.Equal("0.0.0.0", s.BindAddress);
            Assert.Null(s.AdvertisedAddress); // each silo advertises its container's address

            // The connection string reaches the azurite service on the ports it serves.
            var parts = s.Storage.ConnectionString!.Split(';', StringSplitOptions.RemoveEmptyEntries)
                .Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
            Assert.Equal("devstoreaccount1", parts["AccountName"]);
            Assert.Equal("http://azurite:10000/devstoreaccount1", parts["BlobEndpoint"]);
            Assert.Equal("http://azurite:10001/devstoreaccount1", parts["QueueEndpoint"]);
            Assert.Equal("http://azurite:10002/devstoreaccount1", parts["TableEndpoint"]);

            // Every cluster is a KubeSim cluster, by URL.
            Assert.Equal(kubesim.Clusters.Order(StringComparer.Ordinal), s.Clusters.Select(c => c.Name).Order(StringComparer.Ordinal));
            foreach (var cluster in s.Clusters)
            {
                Assert.Equal($"http://{kubesim.AdvertisedHost}:{kubesim.Port}/clusters/{cluster.Name}", cluster.Server);
                Assert.NotEmpty(cluster.Labels);
            }

            // The healthcheck probes the silo's HTTP port.
            Assert.Contains($"/dev/tcp/127.0.0.1/{s.HttpPort}", string.Join(' ', silo.Healthcheck!.Test));
            Assert.Contains(s.SiloPort.ToString(System.Globalization.CultureInfo.InvariantCulture), silo.Expose);
            settings.Add(s);
        }

        // One Orleans cluster: same ids everywhere; host ports don't collide.
        Assert.Single(settings.Select(s => (s.ServiceId, s.ClusterId)).Distinct());
        var hostPorts = Compose.Services.Values.SelectMany(s => s.Ports).Select(p => Published.Parse(p).HostPort).ToList();
        Assert.Equal(hostPorts.Count, hostPorts.Distinct().Count());
        Assert.Equal(2, Silos().Select(s => s.Value.Hostname).Distinct().Count());
    }

    [Fact]
    public void Every_port_is_published_on_loopback_only()
    {
        foreach (var (name, service) in Compose.Services)
            foreach (var port in service.Ports)
                Assert.True(Published.Parse(port).HostIp == "127.0.0.1", $"service {name} publishes {port} beyond loopback (write 127.0.0.1:HOST:CONTAINER)");
        Assert.NotEmpty(Compose.Services.Values.SelectMany(s => s.Ports));
    }

    [Fact]
    public void Silos_bound_beyond_loopback_authenticate_with_a_mounted_token_file()
    {
        foreach (var (name, silo) in Silos())
        {
            var s = SiloSettings.FromEnvironment(silo.Environment);
            Assert.Equal("0.0.0.0", s.BindAddress);
            Assert.True(s.Authenticates, $"{name} binds {s.BindAddress} without authentication: the silo would refuse to start");

            // The token file is a file of this repository mounted read-only where Coordinator__Auth__TokenFile points.
            var mount = silo.Volumes.Select(v => v.Split(':')).SingleOrDefault(v => v.Length >= 2 && v[1] == s.Auth.TokenFile);
            Assert.True(mount != null, $"{name}: nothing is mounted at {s.Auth.TokenFile}");
            Assert.Equal("ro", mount!.ElementAtOrDefault(2));
            var records = File.ReadAllLines(Repo.PathOf(mount[0])).Where(l => l.Length > 0).ToList();
            Assert.NotEmpty(records);
            // kube's token file: token,user,uid[,"groups"]: at least three columns, a non-empty token.
            Assert.All(records, r => Assert.True(r.Split(',').Length >= 3 && r.Split(',')[0].Length > 0, $"token file record '{r}'"));
        }
    }

    [Fact]
    public void Silo_dockerfile_copies_every_project_the_silo_references_and_exposes_its_ports()
    {
        var dockerfile = Dockerfile.Load(SiloDockerfile);
        var copied = Sources(dockerfile).ToList();
        foreach (var input in BuildInputs("silo/Coordinator.Silo/Coordinator.Silo.csproj"))
            Assert.True(copied.Any(c => input.StartsWith(c, StringComparison.Ordinal)), $"{input} is not copied into the build stage");
        Assert.Contains(dockerfile.All("RUN"), r => r.Contains("dotnet publish silo/Coordinator.Silo/Coordinator.Silo.csproj", StringComparison.Ordinal));
        Assert.Equal("[\"dotnet\", \"Coordinator.Silo.dll\"]", dockerfile.All("ENTRYPOINT").Single());
        Assert.Equal(new[] { "11111", "30000", "5080", "5081" }, dockerfile.All("EXPOSE").SelectMany(e => e.Split(' ')).Order(StringComparer.Ordinal).ToArray());
        Assert.Contains(dockerfile.All("ENV"), e => e.Contains("Coordinator__BindAddress=0.0.0.0", StringComparison.Ordinal));
        Assert.Contains(dockerfile.All("USER"), u => u.Contains("APP_UID", StringComparison.Ordinal));
    }

    [Fact]
    public void Kubesim_dockerfile_builds_kubesim_and_binds_every_interface_by_default()
    {
        var dockerfile = Dockerfile.Load(KubeSimDockerfile);
        var copied = Sources(dockerfile).ToList();
        foreach (var input in BuildInputs("src/Coordinator.KubeSim/Coordinator.KubeSim.csproj"))
            Assert.True(copied.Any(c => input.StartsWith(c, StringComparison.Ordinal)), $"{input} is not copied into the build stage");
        Assert.Equal("[\"dotnet\", \"Coordinator.KubeSim.dll\"]", dockerfile.All("ENTRYPOINT").Single());
        var cmd = System.Text.Json.JsonSerializer.Deserialize<string[]>(dockerfile.All("CMD").Single())!;
        var parsed = CommandLine.Parse(cmd, out var error);
        Assert.True(parsed != null, error);
        Assert.Equal("0.0.0.0", parsed!.BindAddress);
    }

    [Theory]
    [InlineData(SiloDockerfile)]
    [InlineData(KubeSimDockerfile)]
    [InlineData(AzuriteDockerfile)]
    public void Copied_sources_exist_and_are_not_dockerignored(string path)
    {
        var service = Compose.Services.Values.First(s => s.Build?.DockerfilePath == path);
        var contextIsRoot = Path.GetFullPath(Repo.PathOf(service.Build!.Context)).TrimEnd('/') == Repo.Root.TrimEnd('/');
        var ignored = contextIsRoot
            ? File.ReadAllLines(Repo.PathOf(".dockerignore")).Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList()
            : [];
        Assert.True(!contextIsRoot || ignored.Contains("**/bin/") && ignored.Contains("**/obj/"), ".dockerignore keeps local build output out");
        foreach (var source in Sources(Dockerfile.Load(path)))
        {
            var full = Path.Combine(Repo.PathOf(service.Build.Context), source);
            Assert.True(File.Exists(full) || Directory.Exists(full), $"{path}: COPY source {source} does not exist");
            Assert.False(IsDockerIgnored(source, ignored), $"{path}: COPY source {source} is excluded by .dockerignore");
        }
    }

    [Fact]
    public async Task Check_compose_script_passes_when_docker_compose_is_installed()
    {
        var script = Repo.PathOf(".ci/check-compose");
        Assert.True(File.Exists(script));
        if (!OnPath("docker-compose")) return; // CI runs the script itself (and installs docker-compose); don't install from a test.
        var psi = new ProcessStartInfo("bash", [script]) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Repo.Root };
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"check-compose failed:\n{await stdout}\n{await stderr}");
    }

    /// <summary>.dockerignore for path prefixes: the last pattern that matches wins, <c>!</c> re-includes (<c>**</c> patterns are ignored here).</summary>
    private static bool IsDockerIgnored(string source, IReadOnlyList<string> patterns)
    {
        var ignored = false;
        foreach (var line in patterns.Where(p => !p.StartsWith("**", StringComparison.Ordinal)))
        {
            var negated = line.StartsWith('!');
            var prefix = (negated ? line[1..] : line).TrimEnd('/');
            var trimmed = source.TrimEnd('/');
            if (trimmed == prefix || trimmed.StartsWith(prefix + "/", StringComparison.Ordinal)) ignored = !negated;
        }
        return ignored;
    }

    /// <summary>The repository paths a Dockerfile COPYs from its build context (not from other stages).</summary>
    private static IEnumerable<string> Sources(Dockerfile dockerfile)
    {
        foreach (var args in dockerfile.All("COPY"))
        {
            var words = args.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (words.Any(w => w.StartsWith("--from", StringComparison.Ordinal))) continue;
            var paths = words.Where(w => !w.StartsWith("--", StringComparison.Ordinal)).ToList();
            foreach (var source in paths.Take(paths.Count - 1)) yield return source;
        }
    }

    /// <summary>
    /// What building a project reads from the repository: the build props, every project it references (transitively), and
    /// every item a project includes from outside its own folder (e.g. an embedded file under deploy/).
    /// </summary>
    private static List<string> BuildInputs(string project)
    {
        var inputs = new List<string> { "global.json", "Directory.Build.props", "Directory.Packages.props" };
        foreach (var p in ProjectClosure(project))
        {
            inputs.Add(p);
            var dir = Path.GetDirectoryName(Repo.PathOf(p))!;
            foreach (var item in XDocument.Load(Repo.PathOf(p)).Descendants().Where(e => e.Name.LocalName != "ProjectReference"))
                if (item.Attribute("Include")?.Value is { } include && include.StartsWith("..", StringComparison.Ordinal))
                    inputs.Add(Repo.Relative(Path.GetFullPath(Path.Combine(dir, include.Replace('\\', '/')))));
        }
        return inputs;
    }

    /// <summary>A project and every project it references, transitively (repository-relative paths).</summary>
    private static List<string> ProjectClosure(string project)
    {
        var result = new List<string>();
        var queue = new Queue<string>([project]);
        while (queue.Count > 0)
        {
            var next = queue.Dequeue();
            if (result.Contains(next)) continue;
            result.Add(next);
            var dir = Path.GetDirectoryName(Repo.PathOf(next))!;
            foreach (var reference in XDocument.Load(Repo.PathOf(next)).Descendants("ProjectReference"))
                queue.Enqueue(Repo.Relative(Path.GetFullPath(Path.Combine(dir, reference.Attribute("Include")!.Value.Replace('\\', '/')))));
        }
        return result;
    }

    /// <summary>A compose short-syntax port: <c>[HOST_IP:]HOST_PORT:CONTAINER_PORT</c> (or just a container port).</summary>
    private sealed record Published(string? HostIp, string HostPort, string ContainerPort)
    {
        public static Published Parse(string spec)
        {
            var parts = spec.Split(':');
            return parts.Length switch
            {
                3 => new Published(parts[0], parts[1], parts[2]),
                2 => new Published(null, parts[0], parts[1]),
                _ => new Published(null, "", parts[0]),
            };
        }
    }

    private static bool OnPath(string command) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(d => File.Exists(Path.Combine(d, command)));
}
