using System.Net;
using Azure.Data.Tables;
using Coordinator.Silo.Configuration;
using Coordinator.Silo.Hosting;
using Coordinator.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Orleans.Runtime;

namespace Coordinator.Durability.Tests.Infrastructure;

/// <summary>
/// Azurite, a test CA and two in-process silos on Azurite membership, both with <c>Coordinator:Orleans:Tls</c> certificates
/// of that CA (configured by the silo's own <see cref="OrleansTls"/>); more silos can be started against them.
/// </summary>
public sealed class TlsSilos : IAsyncLifetime
{
    private readonly List<TlsSilo> _silos = [];
    private readonly string _table = $"t{Guid.NewGuid():N}membership";
    private Azurite _azurite = null!;

    public TestCertificates Ca { get; } = new("coordinator-silo-ca");

    public TlsSilo First { get; private set; } = null!;

    public TlsSilo Second { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _azurite = await Azurite.StartAsync();
        First = Start(Ca.Issue("silo-1"));
        await First.Started;
        Second = Start(Ca.Issue("silo-2"));
        await Second.Started;
    }

    /// <summary>Starts one more silo of the cluster with <paramref name="tls"/>; <paramref name="maxJoinAttempt"/> bounds how long it tries to join.</summary>
    public TlsSilo Start(OrleansTlsOptions tls, TimeSpan? maxJoinAttempt = null)
    {
        var fatal = new RecordingFatalErrorHandler();
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.UseOrleans(silo =>
        {
            silo.Configure<ClusterOptions>(o => { o.ClusterId = "tls"; o.ServiceId = "tls"; });
            silo.ConfigureEndpoints(IPAddress.Loopback, Azurite.FreePort(), Azurite.FreePort());
            silo.UseAzureStorageClustering(o =>
            {
                o.TableServiceClient = new TableServiceClient(_azurite.ConnectionString);
                o.TableName = _table;
            });
            silo.Configure<ClusterMembershipOptions>(o =>
            {
                o.ProbeTimeout = TimeSpan.FromSeconds(2);
                o.TableRefreshTimeout = TimeSpan.FromSeconds(2);
                if (maxJoinAttempt is { } max) o.MaxJoinAttemptTime = max;
            });
            OrleansTls.Configure(silo, tls);
        });
        // A silo the cluster declares dead ends its process (FailFast); here it must only end its own host.
        builder.Services.AddSingleton<IFatalErrorHandler>(fatal);
        var host = builder.Build();
        var silo = new TlsSilo(host, host.StartAsync(), fatal.Fatal);
        _silos.Add(silo);
        return silo;
    }

    public async Task DisposeAsync()
    {
        foreach (var silo in Enumerable.Reverse(_silos)) await silo.DisposeAsync();
        await _azurite.DisposeAsync();
        Ca.Dispose();
    }

    private sealed class RecordingFatalErrorHandler : IFatalErrorHandler
    {
        private readonly TaskCompletionSource<string> _fatal = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<string> Fatal => _fatal.Task;

        public bool IsUnexpected(Exception exception) => true;

        public void OnFatalException(object? sender = null, string? context = null, Exception? exception = null) =>
            _fatal.TrySetResult(context ?? exception?.Message ?? "fatal");
    }
}

/// <summary>One in-process silo: <see cref="Started"/> completes when it has joined, <see cref="Fatal"/> when the cluster declared it dead.</summary>
public sealed class TlsSilo(IHost host, Task started, Task<string> fatal) : IAsyncDisposable
{
    public Task Started { get; } = started;

    public Task<string> Fatal { get; } = fatal;

    public IGrainFactory Grains => host.Services.GetRequiredService<IGrainFactory>();

    public ILocalSiloDetails Details => host.Services.GetRequiredService<ILocalSiloDetails>();

    public SiloAddress Address => Details.SiloAddress;

    public async ValueTask DisposeAsync()
    {
        try
        {
            await host.StopAsync(TimeSpan.FromSeconds(2));
        }
        catch (Exception ex) when (ex is InvalidOperationException or OperationCanceledException or OrleansException or AggregateException)
        {
            // A refused silo never reached Running: there is nothing to stop gracefully.
        }
        host.Dispose();
    }
}
