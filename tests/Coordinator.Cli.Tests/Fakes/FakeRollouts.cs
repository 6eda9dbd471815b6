using System.Collections.Concurrent;
using System.Threading.Channels;
using Coordinator.Grpc.V1;
using Google.Protobuf;
using Grpc.Core;

namespace Coordinator.Cli.Tests.Fakes;

/// <summary>A scripted <c>coordinator.v1.Rollouts</c> service: records every request and answers with canned replies.</summary>
public sealed class FakeRollouts : Rollouts.RolloutsBase
{
    public ConcurrentQueue<IMessage> Requests { get; } = new();

    /// <summary>The reply to unary rollout calls; by default one healthy entry per cluster named in the request (or "dev").</summary>
    public Func<IMessage, RolloutReply>? Reply { get; set; }

    /// <summary>Thrown by every call when set.</summary>
    public RpcException? Failure { get; set; }

    public ListRolloutsReply ListReply { get; set; } = new();

    public ListClustersReply ClustersReply { get; set; } = new();

    /// <summary>What WatchRollout streams; complete the writer to end the stream.</summary>
    public Channel<RolloutReply> Watch { get; } = Channel.CreateUnbounded<RolloutReply>();

    /// <summary>Completes when a WatchRollout call has arrived.</summary>
    public TaskCompletionSource WatchStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public T Single<T>() where T : IMessage => Assert.IsType<T>(Assert.Single(Requests));

    private Task<RolloutReply> Unary(IMessage request, string name, Target? target)
    {
        Requests.Enqueue(request);
        if (Failure is not null) throw Failure;
        return Task.FromResult(Reply?.Invoke(request) ?? Default(name, target));
    }

    public static RolloutReply Default(string name, Target? target)
    {
        var reply = new RolloutReply { Name = name, Namespace = "default" };
        var clusters = target is { Clusters.Count: > 0 } ? target.Clusters.ToList() : ["dev"];
        reply.Clusters.AddRange(clusters.Select(c => new ClusterRollout { Cluster = c, Name = name, Namespace = "default", Exists = true, Phase = "Healthy" }));
        return reply;
    }

    public override Task<RolloutReply> ApplyRollout(ApplyRolloutRequest request, ServerCallContext context) => Unary(request, "rollouts-demo", request.Target);
    public override Task<RolloutReply> GetRollout(RolloutRequest request, ServerCallContext context) => Unary(request, request.Name, request.Target);
    public override Task<RolloutReply> PromoteRollout(PromoteRolloutRequest request, ServerCallContext context) => Unary(request, request.Name, request.Target);
    public override Task<RolloutReply> AbortRollout(RolloutRequest request, ServerCallContext context) => Unary(request, request.Name, request.Target);
    public override Task<RolloutReply> RetryRollout(RolloutRequest request, ServerCallContext context) => Unary(request, request.Name, request.Target);
    public override Task<RolloutReply> PauseRollout(RolloutRequest request, ServerCallContext context) => Unary(request, request.Name, request.Target);
    public override Task<RolloutReply> ResumeRollout(RolloutRequest request, ServerCallContext context) => Unary(request, request.Name, request.Target);
    public override Task<RolloutReply> SetImage(SetImageRequest request, ServerCallContext context) => Unary(request, request.Name, request.Target);
    public override Task<RolloutReply> UndoRollout(UndoRolloutRequest request, ServerCallContext context) => Unary(request, request.Name, request.Target);
    public override Task<RolloutReply> DeleteRollout(RolloutRequest request, ServerCallContext context) => Unary(request, request.Name, request.Target);

    public override Task<ListRolloutsReply> ListRollouts(ListRolloutsRequest request, ServerCallContext context)
    {
        Requests.Enqueue(request);
        if (Failure is not null) throw Failure;
        return Task.FromResult(ListReply);
    }

    public override Task<ListClustersReply> ListClusters(ListClustersRequest request, ServerCallContext context)
    {
        Requests.Enqueue(request);
        if (Failure is not null) throw Failure;
        return Task.FromResult(ClustersReply);
    }

    public override async Task WatchRollout(RolloutRequest request, IServerStreamWriter<RolloutReply> responseStream, ServerCallContext context)
    {
        Requests.Enqueue(request);
        WatchStarted.TrySetResult();
        if (Failure is not null) throw Failure;
        try
        {
            await foreach (var reply in Watch.Reader.ReadAllAsync(context.CancellationToken))
                await responseStream.WriteAsync(reply, context.CancellationToken);
        }
        catch (OperationCanceledException)
        {
            // the client went away
        }
    }
}
