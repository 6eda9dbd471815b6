using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Coordinator.Cli.Tests.Fakes;

/// <summary>Kestrel on 127.0.0.1 (free port, HTTP/2 only, no TLS) hosting <see cref="FakeRollouts"/> and <see cref="FakeFleetRollouts"/>.</summary>
public sealed class FakeCoordinator : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FakeCoordinator(WebApplication app, FakeRollouts service, FakeFleetRollouts fleets)
    {
        _app = app;
        Service = service;
        Fleets = fleets;
        Url = app.Urls.Single();
    }

    public FakeRollouts Service { get; }

    public FakeFleetRollouts Fleets { get; }

    public string Url { get; }

    public static async Task<FakeCoordinator> StartAsync()
    {
        var service = new FakeRollouts();
        var fleets = new FakeFleetRollouts();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, o => o.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        builder.Services.AddSingleton(service);
        builder.Services.AddSingleton(fleets);
        var app = builder.Build();
        app.MapGrpcService<FakeRollouts>();
        app.MapGrpcService<FakeFleetRollouts>();
        await app.StartAsync();
        return new FakeCoordinator(app, service, fleets);
    }

    public async ValueTask DisposeAsync()
    {
        Service.Watch.Writer.TryComplete();
        Fleets.Watch.Writer.TryComplete();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
