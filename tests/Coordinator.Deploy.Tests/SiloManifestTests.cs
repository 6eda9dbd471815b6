using Coordinator.Deploy.Tests.Support;
using k8s;
using k8s.Models;

namespace Coordinator.Deploy.Tests;

/// <summary>deploy/kubernetes/coordinator: the silos' Deployment, Service, PDB, registry ConfigMap and own RBAC fit together.</summary>
public sealed class SiloManifestTests
{
    private static V1Deployment Deployment() => Manifests.Single<V1Deployment>(Manifests.SiloDir);

    private static V1Container Silo() => Assert.Single(Deployment().Spec.Template.Spec.Containers);

    private static V1EnvVar Env(string name) =>
        Silo().Env.SingleOrDefault(e => e.Name == name) ?? throw new Xunit.Sdk.XunitException($"the silo container has no env {name}");

    private static IDictionary<string, string> TemplateLabels() => Deployment().Spec.Template.Metadata.Labels;

    private static bool Selects(IDictionary<string, string> selector, IDictionary<string, string> labels) =>
        selector.Count > 0 && selector.All(kv => labels.TryGetValue(kv.Key, out var v) && v == kv.Value);

    [Fact]
    public void Pods_carry_the_orleans_labels_and_the_ids_are_read_from_them()
    {
        var labels = TemplateLabels();
        Assert.False(string.IsNullOrEmpty(labels["orleans/serviceId"]));
        Assert.False(string.IsNullOrEmpty(labels["orleans/clusterId"]));
        Assert.True(Selects(Deployment().Spec.Selector.MatchLabels, labels), "the selector matches the pod template");

        // Microsoft.Orleans.Hosting.Kubernetes reads ORLEANS_*_ID; the silo's own ids come from the same labels.
        Assert.Equal("metadata.labels['orleans/serviceId']", Env("ORLEANS_SERVICE_ID").ValueFrom.FieldRef.FieldPath);
        Assert.Equal("metadata.labels['orleans/clusterId']", Env("ORLEANS_CLUSTER_ID").ValueFrom.FieldRef.FieldPath);
        Assert.Equal("$(ORLEANS_SERVICE_ID)", Env("Coordinator__ServiceId").Value);
        Assert.Equal("$(ORLEANS_CLUSTER_ID)", Env("Coordinator__ClusterId").Value);
        AssertDefinedBefore("ORLEANS_SERVICE_ID", "Coordinator__ServiceId");
        AssertDefinedBefore("ORLEANS_CLUSTER_ID", "Coordinator__ClusterId");
    }

    [Theory]
    [InlineData("POD_NAME", "metadata.name")]
    [InlineData("POD_NAMESPACE", "metadata.namespace")]
    [InlineData("POD_IP", "status.podIP")]
    public void Downward_api_env(string name, string fieldPath) =>
        Assert.Equal(fieldPath, Env(name).ValueFrom?.FieldRef?.FieldPath);

    [Fact]
    public void Silo_settings_select_kubernetes_clustering_azure_storage_and_the_mounted_registry()
    {
        var env = Silo().Env.Where(e => e.Name.StartsWith("Coordinator__", StringComparison.Ordinal)).ToList();
        foreach (var e in env) Assert.True(SiloSettings.IsKnownEnvironmentKey(e.Name), $"{e.Name} is not a key of the silo's configuration");

        var settings = SiloSettings.FromEnvironment(env.ToDictionary(e => e.Name, e => (string?)(e.Value ?? "from-secret")));
        Assert.Equal(SiloSettings.ClusteringMode.Kubernetes, settings.Clustering);
        Assert.Equal(SiloSettings.StorageProvider.AzureStorage, settings.Storage.Provider);
        Assert.Equal("0.0.0.0", settings.BindAddress);
        Assert.Equal("$(POD_IP)", settings.AdvertisedAddress);
        AssertDefinedBefore("POD_IP", "Coordinator__AdvertisedAddress");

        // The connection string is a Secret, never a literal in the manifest.
        var connection = Env("Coordinator__Storage__ConnectionString");
        Assert.Null(connection.Value);
        Assert.Equal("coordinator-storage", connection.ValueFrom.SecretKeyRef.Name);
        Assert.Equal("connection-string", connection.ValueFrom.SecretKeyRef.Key);
        Assert.NotNull(Manifests.LoadDir(Manifests.ExamplesDir).Select(o => o.Object).OfType<V1Secret>()
            .SingleOrDefault(s => s.Metadata.Name == "coordinator-storage" && s.StringData.ContainsKey("connection-string")));

        // The registry file is the ConfigMap's key, mounted where Coordinator__ConfigFile points.
        Assert.Equal("/etc/coordinator/coordinator.json", settings.ConfigFile);
        var mount = Silo().VolumeMounts.Single(m => m.MountPath == settings.ConfigFile);
        var volume = Deployment().Spec.Template.Spec.Volumes.Single(v => v.Name == mount.Name);
        var configMap = Manifests.Single<V1ConfigMap>(Manifests.SiloDir, "coordinator-registry");
        Assert.Equal(configMap.Metadata.Name, volume.ConfigMap.Name);
        Assert.True(configMap.Data.ContainsKey(mount.SubPath), $"ConfigMap has no key {mount.SubPath}");
    }

    [Fact]
    public void Ports_are_named_and_agree_with_the_silo_settings()
    {
        var ports = Silo().Ports.ToDictionary(p => p.Name, p => p.ContainerPort);
        Assert.Equal(new Dictionary<string, int> { ["http"] = 5080, ["grpc"] = 5081, ["silo"] = 11111, ["gateway"] = 30000 }, ports);
        Assert.Equal("5080", Env("Coordinator__HttpPort").Value);
        Assert.Equal("5081", Env("Coordinator__GrpcPort").Value);
        Assert.Equal("11111", Env("Coordinator__SiloPort").Value);
        Assert.Equal("30000", Env("Coordinator__GatewayPort").Value);
    }

    [Fact]
    public void Probes_use_readyz_and_healthz_on_the_http_port()
    {
        var silo = Silo();
        Assert.Equal("/readyz", silo.ReadinessProbe.HttpGet.Path);
        Assert.Equal("/healthz", silo.LivenessProbe.HttpGet.Path);
        foreach (var probe in new[] { silo.ReadinessProbe, silo.LivenessProbe, silo.StartupProbe })
        {
            var port = probe.HttpGet.Port.Value;
            Assert.True(port is "http" or "5080", $"probe port {port}");
        }
        // /readyz waits up to 5 s for a grain call: the probe must wait longer than that.
        Assert.True(silo.ReadinessProbe.TimeoutSeconds > 5);
    }

    [Fact]
    public void Pod_runs_as_the_coordinator_service_account_and_rolls_without_losing_capacity()
    {
        var spec = Deployment().Spec.Template.Spec;
        var account = Manifests.Single<V1ServiceAccount>(Manifests.SiloDir);
        Assert.Equal(account.Metadata.Name, spec.ServiceAccountName);
        Assert.NotNull(spec.SecurityContext.FsGroup); // non-root must read the 0440 Secret files
        Assert.Equal("0", Deployment().Spec.Strategy.RollingUpdate.MaxUnavailable.Value); // surge first, never below capacity
        Assert.True(Deployment().Spec.Replicas >= 2, "one silo is no cluster");
    }

    [Fact]
    public void Service_exposes_grpc_and_http_of_the_silo_pods()
    {
        var service = Manifests.Single<V1Service>(Manifests.SiloDir);
        Assert.True(Selects(service.Spec.Selector, TemplateLabels()), "the Service selects the silo pods");
        var ports = service.Spec.Ports.ToDictionary(p => p.Name);
        Assert.Equal(new[] { "grpc", "http" }, ports.Keys.Order().ToArray());
        Assert.Equal(5081, ports["grpc"].Port);
        Assert.Equal("grpc", ports["grpc"].TargetPort.Value);
        Assert.Equal("https", ports["grpc"].AppProtocol); // gRPC is HTTP/2 over TLS
        Assert.Equal("https", ports["http"].AppProtocol);
        Assert.Equal(5080, ports["http"].Port);
        Assert.Equal("http", ports["http"].TargetPort.Value);
        var containerPorts = Silo().Ports.Select(p => p.Name).ToHashSet();
        Assert.All(ports.Values, p => Assert.Contains(p.TargetPort.Value, containerPorts));
    }

    [Fact]
    public void Pod_disruption_budget_limits_voluntary_disruptions_of_the_silos()
    {
        var pdb = Manifests.Single<V1PodDisruptionBudget>(Manifests.SiloDir);
        Assert.True(pdb.Spec.MinAvailable != null ^ pdb.Spec.MaxUnavailable != null, "exactly one of minAvailable / maxUnavailable");
        Assert.True(Selects(pdb.Spec.Selector.MatchLabels, TemplateLabels()), "the PDB selects the silo pods");
        var replicas = Deployment().Spec.Replicas!.Value;
        if (pdb.Spec.MaxUnavailable is { } max && int.TryParse(max.Value, out var m)) Assert.InRange(m, 1, replicas - 1);
        if (pdb.Spec.MinAvailable is { } min && int.TryParse(min.Value, out var n)) Assert.InRange(n, 1, replicas - 1);
    }

    [Fact]
    public void Registry_config_map_binds_as_silo_configuration_and_each_cluster_has_its_own_kubeconfig_secret()
    {
        var configMap = Manifests.Single<V1ConfigMap>(Manifests.SiloDir, "coordinator-registry");
        var settings = SiloSettings.FromJson(configMap.Data["coordinator.json"]); // unknown keys throw
        Assert.NotEmpty(settings.Clusters);
        Assert.Equal(settings.Clusters.Count, settings.Clusters.Select(c => c.Name).Distinct().Count());

        var secretsUsed = new List<string>();
        foreach (var cluster in settings.Clusters)
        {
            Assert.Matches("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", cluster.Name);
            Assert.NotEmpty(cluster.Labels);
            Assert.Null(cluster.Server);
            Assert.All(cluster.Namespaces, ns => Assert.Matches("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", ns));

            // The kubeconfig is the key of a Secret of its own, mounted read-only at the path the registry names.
            var (volume, key) = PodFiles.Source(Deployment(), cluster.Kubeconfig!);
            Assert.NotNull(volume.Secret);
            secretsUsed.Add(volume.Secret.SecretName);
            var secret = ExampleSecret(volume.Secret.SecretName);
            var kubeconfig = KubernetesYaml.Deserialize<k8s.KubeConfigModels.K8SConfiguration>(secret.StringData[key]);
            var context = Assert.Single(kubeconfig.Contexts); // that cluster's credential only
            Assert.Equal(cluster.Context ?? cluster.Name, context.Name);
            Assert.Single(kubeconfig.Clusters);
            Assert.Single(kubeconfig.Users);
        }
        Assert.Equal(secretsUsed.Count, secretsUsed.Distinct().Count()); // no two clusters share a Secret
        Assert.Contains(settings.Clusters, c => c.Namespaces.Count > 0); // the example shows the namespaced variant too
    }

    [Fact]
    public void Silo_bound_beyond_loopback_is_configured_with_authentication_authorization_and_tls()
    {
        var settings = Settings();
        Assert.Equal("0.0.0.0", settings.BindAddress);
        Assert.True(settings.Authenticates, "bound to 0.0.0.0 without authentication the silo refuses to start");
        Assert.False(string.IsNullOrEmpty(settings.Auth.PolicyFile), "no --authz-policy");
        Assert.False(string.IsNullOrEmpty(settings.Tls.CertFile) || string.IsNullOrEmpty(settings.Tls.KeyFile), "the API is served without TLS");
        var orleans = settings.Orleans.Tls;
        Assert.False(string.IsNullOrEmpty(orleans.CertFile) || string.IsNullOrEmpty(orleans.KeyFile) || string.IsNullOrEmpty(orleans.CaFile),
            "silo-to-silo traffic is not mutual TLS");
        foreach (var probe in new[] { Silo().ReadinessProbe, Silo().LivenessProbe, Silo().StartupProbe })
            Assert.Equal("HTTPS", probe.HttpGet.Scheme); // the HTTP endpoint serves TLS
    }

    [Fact]
    public void Every_file_the_silo_settings_name_is_mounted_read_only_from_a_secret_or_config_map_that_holds_it()
    {
        var settings = Settings();
        var files = new Dictionary<string, (string? Path, bool Secret)>
        {
            ["Auth:TokenFile"] = (settings.Auth.TokenFile, true),
            ["Auth:PolicyFile"] = (settings.Auth.PolicyFile, false),
            ["Tls:CertFile"] = (settings.Tls.CertFile, true),
            ["Tls:KeyFile"] = (settings.Tls.KeyFile, true),
            ["Orleans:Tls:CertFile"] = (settings.Orleans.Tls.CertFile, true),
            ["Orleans:Tls:KeyFile"] = (settings.Orleans.Tls.KeyFile, true),
            ["Orleans:Tls:CaFile"] = (settings.Orleans.Tls.CaFile, true),
        };
        foreach (var (setting, (path, secret)) in files)
        {
            Assert.True(path != null, $"Coordinator:{setting} is not set");
            var (volume, key) = PodFiles.Source(Deployment(), path!);
            if (secret)
            {
                Assert.True(volume.Secret != null, $"Coordinator:{setting} ({path}) is not from a Secret");
                Assert.True(ExampleSecret(volume.Secret!.SecretName).StringData.ContainsKey(key), $"Secret {volume.Secret.SecretName} has no key {key} for Coordinator:{setting}");
            }
            else
            {
                Assert.True(volume.ConfigMap != null, $"Coordinator:{setting} ({path}) is not from a ConfigMap");
                var configMap = Manifests.Single<V1ConfigMap>(Manifests.SiloDir, volume.ConfigMap!.Name);
                Assert.True(configMap.Data.ContainsKey(key), $"ConfigMap {configMap.Metadata.Name} has no key {key} for Coordinator:{setting}");
            }
        }

        // OIDC and the default role come from keys of the authz ConfigMap (optional: absent keys leave them unset).
        foreach (var env in Silo().Env.Where(e => e.ValueFrom?.ConfigMapKeyRef != null))
        {
            var configMap = Manifests.Single<V1ConfigMap>(Manifests.SiloDir, env.ValueFrom.ConfigMapKeyRef.Name);
            Assert.True(configMap.Data.ContainsKey(env.ValueFrom.ConfigMapKeyRef.Key), $"{env.Name}: ConfigMap {configMap.Metadata.Name} has no key {env.ValueFrom.ConfigMapKeyRef.Key}");
        }
        Assert.Contains(Silo().Env, e => e.Name == "Coordinator__Auth__Oidc__Issuer" && e.ValueFrom?.ConfigMapKeyRef != null);
    }

    [Fact]
    public void Pod_and_container_are_hardened()
    {
        var pod = Deployment().Spec.Template.Spec.SecurityContext;
        Assert.True(pod.RunAsNonRoot);
        Assert.NotEqual(0, pod.RunAsUser);
        Assert.Equal("RuntimeDefault", pod.SeccompProfile?.Type);
        var container = Silo().SecurityContext;
        Assert.True(container.RunAsNonRoot);
        Assert.False(container.AllowPrivilegeEscalation);
        Assert.True(container.ReadOnlyRootFilesystem);
        Assert.Equal(new[] { "ALL" }, container.Capabilities.Drop);
        Assert.True(container.Capabilities.Add == null || container.Capabilities.Add.Count == 0);
        Assert.Equal("RuntimeDefault", container.SeccompProfile?.Type);
        Assert.NotEqual(true, container.Privileged);
        Assert.All(Silo().VolumeMounts.Where(m => m.MountPath != "/tmp"), m => Assert.True(m.ReadOnlyProperty, $"{m.Name} is writable"));
        Assert.Equal("restricted", Manifests.Single<V1Namespace>(Manifests.SiloDir).Metadata.Labels["pod-security.kubernetes.io/enforce"]);
    }

    [Fact]
    public void The_pod_api_token_is_a_bounded_projected_token_never_a_long_lived_secret()
    {
        var spec = Deployment().Spec.Template.Spec;
        Assert.False(spec.AutomountServiceAccountToken);
        Assert.False(Manifests.Single<V1ServiceAccount>(Manifests.SiloDir).AutomountServiceAccountToken);

        // Where KubernetesClient's in-cluster configuration (the Orleans Kubernetes agent) reads token, ca.crt and namespace.
        var mount = Silo().VolumeMounts.Single(m => m.MountPath == "/var/run/secrets/kubernetes.io/serviceaccount");
        var sources = spec.Volumes.Single(v => v.Name == mount.Name).Projected.Sources;
        var token = Assert.Single(sources, s => s.ServiceAccountToken != null).ServiceAccountToken;
        Assert.Equal("token", token.Path);
        Assert.InRange(token.ExpirationSeconds ?? 0, 600, 86400);
        Assert.Contains(sources, s => s.ConfigMap?.Name == "kube-root-ca.crt" && s.ConfigMap.Items.Any(i => i.Path == "ca.crt"));
        Assert.Contains(sources, s => s.DownwardAPI?.Items.Any(i => i.Path == "namespace" && i.FieldRef.FieldPath == "metadata.namespace") == true);

        foreach (var dir in new[] { Manifests.SiloDir, Manifests.ExamplesDir, Manifests.NamespacedTargetDir })
            Assert.DoesNotContain(Manifests.LoadDir(dir).Select(o => o.Object).OfType<V1Secret>(), s => s.Type == "kubernetes.io/service-account-token");
    }

    [Fact]
    public void Orleans_hosting_role_is_pods_in_the_own_namespace_only()
    {
        var role = Manifests.Single<V1Role>(Manifests.SiloDir);
        var rule = Assert.Single(role.Rules);
        Assert.Equal(new[] { "" }, rule.ApiGroups);
        Assert.Equal(new[] { "pods" }, rule.Resources);
        Assert.Equal(new[] { "delete", "get", "list", "watch" }, rule.Verbs.Order().ToArray());

        var binding = Manifests.Single<V1RoleBinding>(Manifests.SiloDir);
        Assert.Equal(("Role", role.Metadata.Name), (binding.RoleRef.Kind, binding.RoleRef.Name));
        var subject = Assert.Single(binding.Subjects);
        Assert.Equal(("ServiceAccount", Deployment().Spec.Template.Spec.ServiceAccountName, Deployment().Metadata.NamespaceProperty),
            (subject.Kind, subject.Name, subject.NamespaceProperty));
        Assert.DoesNotContain(Manifests.LoadDir(Manifests.SiloDir), o => o.Kind is "ClusterRole" or "ClusterRoleBinding");
    }

    private static SiloSettings Settings() =>
        SiloSettings.FromEnvironment(Silo().Env.Where(e => e.Name.StartsWith("Coordinator__", StringComparison.Ordinal))
            .ToDictionary(e => e.Name, e => (string?)(e.Value ?? "from-" + e.Name)));

    private static V1Secret ExampleSecret(string name) =>
        Manifests.LoadDir(Manifests.ExamplesDir).Select(o => o.Object).OfType<V1Secret>().SingleOrDefault(s => s.Metadata.Name == name)
        ?? throw new Xunit.Sdk.XunitException($"no Secret {name} in {Manifests.ExamplesDir}");

    private static void AssertDefinedBefore(string first, string then)
    {
        var names = Silo().Env.Select(e => e.Name).ToList();
        Assert.True(names.IndexOf(first) >= 0 && names.IndexOf(first) < names.IndexOf(then), $"$({first}) is expanded only if {first} comes before {then}");
    }
}
