using Coordinator.KubeSim.Api;

namespace Coordinator.KubeSim.Controllers;

/// <summary>One unit of controller work: reconcile this object.</summary>
internal readonly record struct WorkItem(ResourceType Type, string Namespace, string Name);

/// <summary>
/// A per-cluster, deduplicating work queue drained on the thread pool. Nothing is allocated or scheduled while
/// the cluster is idle (no timer, no thread), so a thousand idle clusters cost nothing but memory.
/// </summary>
internal sealed class ControllerQueue(Action<WorkItem> process)
{
    private readonly object _gate = new();
    private Queue<WorkItem>? _queue;
    private HashSet<WorkItem>? _pending;
    private bool _running;
    private TaskCompletionSource? _idle;

    public void Enqueue(WorkItem item)
    {
        lock (_gate)
        {
            _pending ??= [];
            if (!_pending.Add(item)) return;
            (_queue ??= new Queue<WorkItem>()).Enqueue(item);
            if (_running) return;
            _running = true;
        }
        ThreadPool.UnsafeQueueUserWorkItem(static q => q.Drain(), this, preferLocal: false);
    }

    /// <summary>Completes when the queue is empty (pending readiness delays are not counted).</summary>
    public Task WhenIdleAsync()
    {
        lock (_gate)
        {
            if (!_running) return Task.CompletedTask;
            _idle ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _idle.Task;
        }
    }

    private void Drain()
    {
        while (true)
        {
            WorkItem item;
            lock (_gate)
            {
                if (_queue == null || _queue.Count == 0)
                {
                    _running = false;
                    _queue = null;
                    _pending = null;
                    _idle?.TrySetResult();
                    _idle = null;
                    return;
                }
                item = _queue.Dequeue();
                _pending!.Remove(item);
            }
            try
            {
                process(item);
            }
            catch (KubeApiException e) when (e.Code is 409 or 404)
            {
                // Raced with a client write: the client's change enqueues this object again.
            }
            catch (Exception e)
            {
                Console.Error.WriteLine($"kubesim: controller failed on {item.Type}/{item.Namespace}/{item.Name}: {e}");
            }
        }
    }
}
