using System.Collections.Concurrent;
using Coordinator.Abstractions;
using Coordinator.Grains.Fleet;

namespace Coordinator.Grains.Tests.Fleet;

/// <summary>
/// A survivor's Rollouts that Orleans deactivated because the dead silo held their directory entries come back a
/// bounded number at a time, the nearest deadline first, so that the Rollout due soonest writes its step first.
/// </summary>
public sealed class DirectoryLossRevivalTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Waiting_Rollouts_come_back_nearest_deadline_first_and_never_more_than_the_bound_at_once()
    {
        var activations = new Activations();
        var revival = new DirectoryLossRevival(activations.ActivateAsync);

        // The first ones take every slot at once.
        var fillers = Enumerable.Range(0, DirectoryLossRevival.Concurrency).Select(i => Key($"filler-{i}")).ToList();
        foreach (var filler in fillers) revival.Revive(filler, Now.AddSeconds(60));
        await activations.WaitForStartsAsync(fillers.Count);
        Assert.Equal(fillers.ToHashSet(), activations.Started.ToHashSet());

        revival.Revive(Key("due-in-3s"), Now.AddSeconds(3));
        revival.Revive(Key("no-deadline"), null);
        revival.Revive(Key("due-in-1s"), Now.AddSeconds(1));
        revival.Revive(Key("due-in-2s"), Now.AddSeconds(2));
        Assert.Equal(DirectoryLossRevival.Concurrency, activations.Started.Count);

        // Each freed slot goes to the nearest deadline still waiting; a Rollout without one comes last.
        foreach (var filler in fillers.Take(4)) await activations.FinishAsync(filler);

        Assert.Equal(["due-in-1s", "due-in-2s", "due-in-3s", "no-deadline"],
            activations.Started.Skip(DirectoryLossRevival.Concurrency).Select(k => k.Name));
        Assert.Equal(DirectoryLossRevival.Concurrency, activations.MostAtOnce);
    }

    [Fact]
    public async Task A_failed_activation_frees_its_slot_for_the_next_Rollout()
    {
        var activations = new Activations();
        var revival = new DirectoryLossRevival(activations.ActivateAsync);
        var fillers = Enumerable.Range(0, DirectoryLossRevival.Concurrency).Select(i => Key($"filler-{i}")).ToList();
        foreach (var filler in fillers) revival.Revive(filler, Now);
        revival.Revive(Key("next"), Now.AddSeconds(1));
        await activations.WaitForStartsAsync(fillers.Count);

        await activations.FailAsync(fillers[0]);

        Assert.Equal("next", activations.Started[^1].Name);
    }

    private static RolloutKey Key(string name) => new("prod", "test", name);

    /// <summary>Activations that end when the test says so, recording which started and how many ran together.</summary>
    private sealed class Activations
    {
        private readonly ConcurrentDictionary<RolloutKey, TaskCompletionSource> _running = new();
        private readonly List<RolloutKey> _started = [];
        private readonly Lock _gate = new();
        private readonly SemaphoreSlim _starts = new(0);

        public int MostAtOnce { get; private set; }

        public IReadOnlyList<RolloutKey> Started { get { lock (_gate) return [.. _started]; } }

        public Task ActivateAsync(RolloutKey key)
        {
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _running[key] = done;
            lock (_gate)
            {
                _started.Add(key);
                MostAtOnce = Math.Max(MostAtOnce, _running.Count);
            }
            _starts.Release();
            return done.Task;
        }

        public async Task WaitForStartsAsync(int count)
        {
            for (var i = 0; i < count; i++) Assert.True(await _starts.WaitAsync(TimeSpan.FromSeconds(10)), "an activation started");
        }

        public Task FinishAsync(RolloutKey key) => EndAsync(key, done => done.SetResult());

        public Task FailAsync(RolloutKey key) => EndAsync(key, done => done.SetException(new InvalidOperationException("unreachable")));

        /// <summary>Ends one activation and waits until the slot it frees has been given to the next waiting Rollout.</summary>
        private async Task EndAsync(RolloutKey key, Action<TaskCompletionSource> end)
        {
            Assert.True(_running.TryRemove(key, out var done));
            end(done);
            await WaitForStartsAsync(1);
        }
    }
}
