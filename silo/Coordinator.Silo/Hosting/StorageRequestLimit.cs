using Azure.Core;
using Azure.Core.Pipeline;

namespace Coordinator.Silo.Hosting;

/// <summary>
/// A few grain-state and reminder requests in flight at once, reads before writes. After a silo dies, the survivor's
/// Rollouts keep stepping (a status save each) while the dead silo's come back (a state read each, on their step's
/// critical path). Sent all at once, they filled the storage's queue: Azurite answered p99 7-11 s and the dead silo's
/// Rollouts wrote their step p99 8-11 s late (failover benchmark, 2 cores). A save is not on its step's path (the step's
/// write to the cluster comes first), so a read waiting for a slot goes before every waiting write.
/// </summary>
public sealed class StorageRequestLimit(int maxConcurrentRequests) : HttpPipelinePolicy
{
    /// <summary>Right for Azurite on a small machine; Azure Storage takes more (<c>Coordinator:Storage:MaxConcurrentRequests</c>).</summary>
    public const int DefaultMaxConcurrentRequests = 8;

    private readonly object _gate = new();
    private readonly Queue<TaskCompletionSource> _reads = new();
    private readonly Queue<TaskCompletionSource> _writes = new();
    private int _inFlight;

    /// <summary>A table client whose requests go through a limit of their own; <paramref name="more"/> run per attempt.</summary>
    public static Azure.Data.Tables.TableServiceClient Client(string connectionString, int maxConcurrentRequests, params HttpPipelinePolicy[] more)
    {
        var options = new Azure.Data.Tables.TableClientOptions();
        options.AddPolicy(new StorageRequestLimit(maxConcurrentRequests), HttpPipelinePosition.PerRetry);
        foreach (var policy in more) options.AddPolicy(policy, HttpPipelinePosition.PerRetry);
        return new Azure.Data.Tables.TableServiceClient(connectionString, options);
    }

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        EnterAsync(message).GetAwaiter().GetResult();
        try
        {
            ProcessNext(message, pipeline);
        }
        finally
        {
            Leave();
        }
    }

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        await EnterAsync(message);
        try
        {
            await ProcessNextAsync(message, pipeline);
        }
        finally
        {
            Leave();
        }
    }

    private Task EnterAsync(HttpMessage message)
    {
        TaskCompletionSource turn;
        lock (_gate)
        {
            if (_inFlight < maxConcurrentRequests)
            {
                _inFlight++;
                return Task.CompletedTask;
            }
            turn = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            (message.Request.Method == RequestMethod.Get ? _reads : _writes).Enqueue(turn);
        }
        // A request cancelled while it waits keeps its place; it gives the slot back as soon as it gets it.
        return turn.Task;
    }

    /// <summary>Hands the slot to the oldest waiting read, else the oldest waiting write.</summary>
    private void Leave()
    {
        TaskCompletionSource? next;
        lock (_gate)
        {
            if (!_reads.TryDequeue(out next) && !_writes.TryDequeue(out next))
            {
                _inFlight--;
                return;
            }
        }
        next.SetResult();
    }
}
