using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Coordinator.Cli.Tests.Fakes;

/// <summary>Kestrel on 127.0.0.1 (free port, HTTP/2 only, no TLS) hosting <see cref="FakeRollouts"/>.</summary>
public sealed class FakeCoordinator : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FakeCoordinator(WebApplication app, FakeRollouts service)
    {
        _app = app;
        Service = service;
        Url = app.Urls.Single();
    }

    public FakeRollouts Service { get; }

    public string Url { get; }

    public static async Task<FakeCoordinator> StartAsync()
    {
        var service = new FakeRollouts();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, o => o.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        builder.Services.AddSingleton(service);
        var app = builder.Build();
        app.MapGrpcService<FakeRollouts>();
        await app.StartAsync();
        return new FakeCoordinator(app, service);
    }

    public async ValueTask DisposeAsync()
    {
        Service.Watch.Writer.TryComplete();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
