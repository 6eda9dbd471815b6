extern alias CoordinatorKubernetes;

using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Azure.Data.Tables;
using Coordinator.Grains;
using CoordinatorKubernetes::Coordinator.Kubernetes.Clusters;
using CoordinatorKubernetes::Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Orleans.Hosting;

namespace Coordinator.Benchmarks.Failover;

/// <summary>What a silo of the failover benchmark needs to join the cluster (written to a file for the child process).</summary>
internal sealed record FailoverSiloSettings(
    string ConnectionString, string TablePrefix, string ClusterId, string ServiceId, int SiloPort, int GatewayPort,
    IReadOnlyList<FailoverClusterEndpoint> Clusters);

internal sealed record FailoverClusterEndpoint(string Name, string ServerUrl);

/// <summary>
/// One silo configured as the durable production silo (silo/Coordinator.Silo/Hosting/OrleansSetup.cs): TCP on loopback,
/// Azure table clustering with the production membership timings, Azure table grain storage and reminders, the grains
/// with production rollout timing. The benchmark process hosts one (the survivor, with the measurement hooks); the
/// other runs in a child process (<c>Coordinator.Benchmarks failover-silo &lt;settings.json&gt;</c>) so that it can be
/// killed like a crashed process: SIGKILL, nothing written on the way out.
/// </summary>
internal static class FailoverSilo
{
    public static IHost Build(FailoverSiloSettings settings, FailoverProbe? probe)
    {
        TableServiceClient Tables()
        {
            var options = new TableClientOptions();
            if (probe is not null) options.AddPolicy(probe.Storage, Azure.Core.HttpPipelinePosition.PerRetry);
            return new TableServiceClient(settings.ConnectionString, options);
        }

        // Grain state and reminders as the production silo writes them (OrleansSetup): a few requests in flight at once, reads first.
        TableServiceClient Limited() => Coordinator.Silo.Hosting.StorageRequestLimit.Client(settings.ConnectionString,
            Coordinator.Silo.Hosting.StorageRequestLimit.DefaultMaxConcurrentRequests, probe is null ? [] : [probe.Storage]);

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, ApplicationName = "failover-silo" });
        builder.Logging.SetMinimumLevel(LogLevel.Error);
        if (Environment.GetEnvironmentVariable("FAILOVER_SILO_LOG") is { Length: > 0 } level && Enum.TryParse<LogLevel>(level, out var min))
        {
            // Diagnosis: the coordinator's own log lines at that level, with timestamps, on stderr.
            builder.Logging.AddSimpleConsole(o => { o.TimestampFormat = "HH:mm:ss.fff "; o.SingleLine = true; });
            builder.Logging.AddFilter("Coordinator", min);
            // FAILOVER_ORLEANS_LOG=Warning adds Orleans' own lines (membership, directory, reminders).
            if (Environment.GetEnvironmentVariable("FAILOVER_ORLEANS_LOG") is { Length: > 0 } orleans && Enum.TryParse<LogLevel>(orleans, out var orleansMin))
                builder.Logging.AddFilter("Orleans", orleansMin);
        }
        var definitions = settings.Clusters.Select(c => new ClusterDefinition { Name = c.Name, ServerUrl = new Uri(c.ServerUrl) }).ToList();
        builder.UseOrleans(silo =>
        {
            silo.Configure<ClusterOptions>(o => { o.ClusterId = settings.ClusterId; o.ServiceId = settings.ServiceId; });
            silo.ConfigureEndpoints(IPAddress.Loopback, settings.SiloPort, settings.GatewayPort);
            silo.UseAzureStorageClustering(o => { o.TableServiceClient = Tables(); o.TableName = $"{settings.TablePrefix}membership"; });
            silo.UseFastFailureDetection(); // the production silo's membership timings
            silo.AddAzureTableGrainStorage(GrainStorageNames.Rollouts, o => { o.TableServiceClient = Limited(); o.TableName = $"{settings.TablePrefix}grains"; });
            silo.UseAzureTableReminderService(o => { o.TableServiceClient = Limited(); o.TableName = $"{settings.TablePrefix}reminders"; });
            silo.Services.AddKubernetesClusters(_ => definitions);
            silo.AddCoordinatorGrains(); // production timing: reminders every minute, resync every 15
            if (probe is not null)
            {
                silo.Services.AddSingleton(probe);
                silo.AddIncomingGrainCallFilter<FailoverProbeFilter>();
            }
        });
        return builder.Build();
    }

    /// <summary>The child process: runs the silo until killed, or until its parent closes stdin.</summary>
    public static async Task<int> RunChildAsync(string[] args)
    {
        if (args.Length != 1) return 2;
        var settings = JsonSerializer.Deserialize<FailoverSiloSettings>(await File.ReadAllTextAsync(args[0]))!;
        using var host = Build(settings, probe: null);
        await host.StartAsync();
        Console.WriteLine("ready");
        await Console.In.ReadToEndAsync(); // the parent is gone (or done): stop
        await host.StopAsync(TimeSpan.FromSeconds(5));
        return 0;
    }

    /// <summary>Starts the child silo and waits until it is up.</summary>
    public static async Task<Process> StartChildAsync(string settingsFile, TimeSpan timeout)
    {
        var start = BenchmarkChildProcess.StartInfo(redirect: true, "failover-silo", settingsFile);
        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the second silo");
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) => { if (e.Data == "ready") ready.TrySetResult(); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine($"[silo 2] {e.Data}"); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await Task.WhenAny(ready.Task, process.WaitForExitAsync(), Task.Delay(timeout));
        if (!ready.Task.IsCompleted)
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            throw new InvalidOperationException("the second silo did not start");
        }
        return process;
    }
}
