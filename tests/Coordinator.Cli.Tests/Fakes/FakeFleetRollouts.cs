using System.Collections.Concurrent;
using System.Threading.Channels;
using Coordinator.Grpc.V1;
using Google.Protobuf;
using Grpc.Core;

namespace Coordinator.Cli.Tests.Fakes;

/// <summary>A scripted <c>coordinator.v1.FleetRollouts</c> service: records every request and answers with canned replies.</summary>
public sealed class FakeFleetRollouts : FleetRollouts.FleetRolloutsBase
{
    public ConcurrentQueue<IMessage> Requests { get; } = new();

    /// <summary>The reply to every unary fleet call except plan and list; by default the canned run in progress.</summary>
    public FleetRolloutReply Reply { get; set; } = FleetSeed.InProgress();

    public FleetPlanReply PlanReply { get; set; } = FleetSeed.Plan();

    public ListFleetRolloutsReply ListReply { get; set; } = new();

    /// <summary>Thrown by every call when set.</summary>
    public RpcException? Failure { get; set; }

    /// <summary>What WatchFleetRollout streams; complete the writer to end the stream.</summary>
    public Channel<FleetRolloutReply> Watch { get; } = Channel.CreateUnbounded<FleetRolloutReply>();

    public T Single<T>() where T : IMessage => Assert.IsType<T>(Assert.Single(Requests));

    private Task<T> Answer<T>(IMessage request, T reply)
    {
        Requests.Enqueue(request);
        if (Failure is not null) throw Failure;
        return Task.FromResult(reply);
    }

    public override Task<FleetRolloutReply> ApplyFleetRollout(ApplyFleetRolloutRequest request, ServerCallContext context) => Answer(request, Reply);
    public override Task<FleetPlanReply> PlanFleetRollout(PlanFleetRolloutRequest request, ServerCallContext context) => Answer(request, PlanReply);
    public override Task<FleetRolloutReply> GetFleetRollout(FleetRolloutRequest request, ServerCallContext context) => Answer(request, Reply);
    public override Task<ListFleetRolloutsReply> ListFleetRollouts(ListFleetRolloutsRequest request, ServerCallContext context) => Answer(request, ListReply);
    public override Task<FleetRolloutReply> ApproveFleetRollout(ApproveFleetRolloutRequest request, ServerCallContext context) => Answer(request, Reply);
    public override Task<FleetRolloutReply> HaltFleetRollout(FleetRolloutRequest request, ServerCallContext context) => Answer(request, Reply);
    public override Task<FleetRolloutReply> ResumeFleetRollout(FleetRolloutRequest request, ServerCallContext context) => Answer(request, Reply);
    public override Task<FleetRolloutReply> AbortFleetRollout(AbortFleetRolloutRequest request, ServerCallContext context) => Answer(request, Reply);
    public override Task<FleetRolloutReply> RevertFleetRollout(FleetRolloutRequest request, ServerCallContext context) => Answer(request, Reply);
    public override Task<FleetRolloutReply> DeleteFleetRollout(FleetRolloutRequest request, ServerCallContext context) => Answer(request, Reply);

    public override async Task WatchFleetRollout(FleetRolloutRequest request, IServerStreamWriter<FleetRolloutReply> responseStream, ServerCallContext context)
    {
        Requests.Enqueue(request);
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
