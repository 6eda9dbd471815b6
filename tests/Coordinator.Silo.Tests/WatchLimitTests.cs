extern alias cli;
using cli::Coordinator.Grpc.V1;
using Grpc.Core;

namespace Coordinator.Silo.Tests;

/// <summary>A silo that allows each client two open watches.</summary>
public sealed class TwoWatchesSiloFixture : SiloFixture
{
    protected override IEnumerable<string> ExtraArgs => ["--Coordinator:Limits:MaxWatchesPerClient", "2"];
}

/// <summary>One client cannot hold more WatchRollout streams open than <c>Coordinator:Limits:MaxWatchesPerClient</c>.</summary>
public sealed class WatchLimitTests(TwoWatchesSiloFixture silo) : IClassFixture<TwoWatchesSiloFixture>
{
    private static readonly RolloutRequest Watched = new() { Name = "rollouts-demo", Namespace = "test" };

    [Fact]
    public async Task The_watch_over_the_limit_is_refused_and_one_is_accepted_again_after_another_closes()
    {
        using var first = await OpenAsync();
        using var second = await OpenAsync();

        var refused = await Assert.ThrowsAsync<RpcException>(async () => (await OpenAsync()).Dispose());
        Assert.Equal(StatusCode.ResourceExhausted, refused.StatusCode);
        Assert.Contains("2 open watches, the limit (Coordinator:Limits:MaxWatchesPerClient)", refused.Status.Detail);
        Assert.Equal(3, (await silo.Grpc.ListClustersAsync(new ListClustersRequest())).Clusters.Count); // other calls still served

        first.Dispose();
        // The server frees the slot when it sees the stream cancelled, which happens asynchronously.
        using var third = await OpenWhenAcceptedAsync();
        Assert.Equal("rollouts-demo", third.ResponseStream.Current.Name);
    }

    /// <summary>Opens a watch and reads its first reply, so the server has counted it.</summary>
    private async Task<AsyncServerStreamingCall<RolloutReply>> OpenAsync()
    {
        var call = silo.Grpc.WatchRollout(Watched);
        try
        {
            Assert.True(await call.ResponseStream.MoveNext());
            return call;
        }
        catch
        {
            call.Dispose();
            throw;
        }
    }

    private async Task<AsyncServerStreamingCall<RolloutReply>> OpenWhenAcceptedAsync()
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            try
            {
                return await OpenAsync();
            }
            catch (RpcException ex) when (ex.StatusCode == StatusCode.ResourceExhausted && DateTime.UtcNow < deadline)
            {
                await Task.Delay(20);
            }
        }
    }
}
