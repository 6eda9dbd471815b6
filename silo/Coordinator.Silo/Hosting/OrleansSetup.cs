using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using Azure.Data.Tables;
using Coordinator.Grains;
using Coordinator.Kubernetes.Clusters;
using Coordinator.Silo.Configuration;
using Orleans.Dashboard;

namespace Coordinator.Silo.Hosting;

/// <summary>
/// The Orleans silo: clustering, grain storage and reminders chosen by configuration (memory for the
/// embedded default, Azure Table storage — Azurite locally — for a durable coordinator), the dashboard
/// and the grains.
/// </summary>
internal static class OrleansSetup
{
    public static void Configure(WebApplicationBuilder builder, CoordinatorOptions options, IReadOnlyList<ClusterDefinition> clusters)
    {
        var storage = options.Storage;
        var durable = storage.Provider == StorageProvider.AzureStorage;
        if (durable && string.IsNullOrWhiteSpace(storage.ConnectionString))
            throw new InvalidOperationException("Coordinator:Storage:ConnectionString must be set when Coordinator:Storage:Provider is AzureStorage");
        if (storage.MaxConcurrentRequests < 1)
            throw new InvalidOperationException($"Coordinator:Storage:MaxConcurrentRequests must be at least 1 (is {storage.MaxConcurrentRequests})");
        var clustering = options.Clustering ?? (durable ? ClusteringMode.AzureStorage : ClusteringMode.Localhost);
        if (clustering != ClusteringMode.Localhost && !durable)
            throw new InvalidOperationException($"Coordinator:Clustering={clustering} needs Coordinator:Storage:Provider=AzureStorage (the membership table lives there)");

        builder.UseOrleans(silo =>
        {
            silo.Configure<Orleans.Configuration.ClusterOptions>(o => { o.ClusterId = options.ClusterId; o.ServiceId = options.ServiceId; });
            if (clustering == ClusteringMode.Localhost)
            {
                silo.UseLocalhostClustering(options.SiloPort, options.GatewayPort, serviceId: options.ServiceId, clusterId: options.ClusterId);
            }
            else
            {
                silo.ConfigureEndpoints(AdvertisedAddress(options), options.SiloPort, options.GatewayPort, listenOnAnyHostAddress: options.BindAddress == "0.0.0.0");
                silo.UseAzureStorageClustering(o =>
                {
                    o.TableServiceClient = new TableServiceClient(storage.ConnectionString);
                    o.TableName = $"{storage.TablePrefix}membership";
                });
                if (clustering == ClusteringMode.Kubernetes) silo.UseKubernetesHosting();
                silo.UseFastFailureDetection();
            }

            if (durable)
            {
                silo.AddAzureTableGrainStorage(GrainStorageNames.Rollouts, o =>
                {
                    o.TableServiceClient = StorageRequestLimit.Client(storage.ConnectionString!, storage.MaxConcurrentRequests);
                    o.TableName = $"{storage.TablePrefix}grains";
                });
                silo.UseAzureTableReminderService(o =>
                {
                    o.TableServiceClient = StorageRequestLimit.Client(storage.ConnectionString!, storage.MaxConcurrentRequests);
                    o.TableName = $"{storage.TablePrefix}reminders";
                });
            }
            else
            {
                silo.AddMemoryGrainStorage(GrainStorageNames.Rollouts);
                silo.UseInMemoryReminderService();
            }

            OrleansTls.Configure(silo, options.Orleans.Tls);
            silo.AddDashboard(o => o.CounterUpdateIntervalMs = 1000);
            // The current span (a gRPC call's) travels with grain calls, so a reconcile and its Kubernetes calls join its trace.
            silo.AddActivityPropagation();
            silo.Services.AddKubernetesClusters(_ => clusters, options.Kubernetes);
            silo.AddCoordinatorGrains(fleet: f => f.MaxClustersInProgress = options.Fleet.MaxClustersInProgress);
        });
    }

    private static IPAddress AdvertisedAddress(CoordinatorOptions options)
    {
        if (options.AdvertisedAddress is { Length: > 0 } configured)
            return IPAddress.TryParse(configured, out var parsed)
                ? parsed
                : throw new InvalidOperationException($"Coordinator:AdvertisedAddress: '{configured}' is not an IP address");
        if (options.BindAddress is { } bind && IPAddress.TryParse(bind, out var bound) && !bound.Equals(IPAddress.Any)) return bound;
        // In a container: the first non-loopback IPv4 of this host.
        return NetworkInterface.GetAllNetworkInterfaces()
            .Where(n => n.OperationalStatus == OperationalStatus.Up && n.NetworkInterfaceType != NetworkInterfaceType.Loopback)
            .SelectMany(n => n.GetIPProperties().UnicastAddresses)
            .Select(a => a.Address)
            .FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork)
            ?? IPAddress.Loopback;
    }
}
