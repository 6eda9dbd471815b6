using System.Net;
using System.Text.Json;
using Grpc.Health.V1;
using Grpc.Net.Client;

namespace Coordinator.Silo.Tests.Observability;

/// <summary>The probes: /healthz (liveness), /readyz (silo joined, grains answer) and the standard gRPC health service.</summary>
public sealed class HealthTests(SiloFixture silo) : IClassFixture<SiloFixture>
{
    [Fact]
    public async Task Healthz_and_readyz_answer_with_each_readiness_check()
    {
        using var http = new HttpClient { BaseAddress = silo.HttpUrl };
        var live = await http.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal("Healthy", JsonDocument.Parse(await live.Content.ReadAsStringAsync()).RootElement.GetProperty("status").GetString());

        var ready = await http.GetAsync("/readyz");
        var body = await ready.Content.ReadAsStringAsync();
        Assert.True(ready.StatusCode == HttpStatusCode.OK, body);
        using var json = JsonDocument.Parse(body);
        Assert.Equal("Healthy", json.RootElement.GetProperty("status").GetString());
        var checks = json.RootElement.GetProperty("checks");
        Assert.Equal("Healthy", checks.GetProperty("silo").GetProperty("status").GetString());
        Assert.Equal("3 clusters", checks.GetProperty("grains").GetProperty("description").GetString());
    }

    [Fact]
    public async Task Grpc_health_check_answers_serving_on_the_grpc_port()
    {
        using var channel = GrpcChannel.ForAddress(silo.GrpcUrl);
        var health = new Health.HealthClient(channel);
        var reply = await health.CheckAsync(new HealthCheckRequest { Service = "" });
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, reply.Status);
    }
}
