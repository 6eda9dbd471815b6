extern alias cli;
using System.Net;
using cli::Coordinator.Grpc.V1;
using Grpc.Core;

namespace Coordinator.Silo.Tests.Observability;

/// <summary>A silo with authentication on whose <c>/metrics</c> is opened for a Prometheus that scrapes without a token.</summary>
public sealed class AnonymousMetricsFixture : SiloFixture, IAsyncLifetime
{
    private readonly string _tokens = Path.Combine(Path.GetTempPath(), $"tokens-{Guid.NewGuid():N}.csv");

    public AnonymousMetricsFixture() => File.WriteAllText(_tokens, "metrics-test-token-5d1e,admin,1001\n");

    protected override IEnumerable<string> ExtraArgs =>
        ["--token-auth-file", _tokens, "--Coordinator:Auth:DefaultRole", "role:admin", "--Coordinator:Metrics:AllowAnonymous", "true"];

    Task IAsyncLifetime.InitializeAsync() => InitializeAsync();

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        File.Delete(_tokens);
    }
}

public sealed class AnonymousMetricsTests(AnonymousMetricsFixture silo) : IClassFixture<AnonymousMetricsFixture>
{
    [Fact]
    public async Task Metrics_answer_without_credentials_when_allowed_while_the_api_still_needs_them()
    {
        using var http = new HttpClient { BaseAddress = silo.HttpUrl };
        var scrape = await http.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, scrape.StatusCode);
        Assert.Contains("# TYPE ", await scrape.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/dashboard/")).StatusCode);
        var refused = await Assert.ThrowsAsync<RpcException>(async () => await silo.Grpc.ListClustersAsync(new ListClustersRequest()));
        Assert.Equal(StatusCode.Unauthenticated, refused.StatusCode);
    }
}
