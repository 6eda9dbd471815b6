namespace Coordinator.Grains.Tests;

/// <summary>
/// What a watcher gets back from a Rollout's feed: every change while it keeps up, and after a pause only what was kept,
/// ending with the current state.
/// </summary>
public sealed class SnapshotFeedTests
{
    private sealed record Snapshot(long Version);

    /// <summary>A clock the test moves.</summary>
    private sealed class SteppedTime : TimeProvider
    {
        private DateTimeOffset _now = DateTimeOffset.Parse("2026-12-02T03:00:00Z");
        public override DateTimeOffset GetUtcNow() => _now;
        public void Advance(TimeSpan by) => _now += by;
    }

    private readonly SteppedTime _time = new();
    private readonly SnapshotFeed<Snapshot> _feed = new(s => s.Version);

    [Fact]
    public async Task A_burst_of_changes_is_kept_up_to_64_and_a_minute_later_the_last_8()
    {
        for (var version = 1; version <= 70; version++) _feed.Publish(new Snapshot(version), _time.GetUtcNow());
        Assert.Equal(Enumerable.Range(7, 64).Select(v => (long)v), (await Changes(0)).Select(s => s.Version));
        Assert.Equal([69L, 70L], (await Changes(68)).Select(s => s.Version));

        _time.Advance(TimeSpan.FromSeconds(61));
        await Changes(70); // a watcher still asking
        _feed.Publish(new Snapshot(71), _time.GetUtcNow());
        Assert.Equal(Enumerable.Range(64, 8).Select(v => (long)v), (await Changes(0)).Select(s => s.Version));
    }

    [Fact]
    public async Task A_watcher_that_keeps_up_sees_every_change_however_old()
    {
        for (var version = 1; version <= 5; version++)
        {
            _feed.Publish(new Snapshot(version), _time.GetUtcNow());
            for (var poll = 0; poll < 60; poll++) // ten minutes of a watcher's 10 s polls
            {
                Assert.Equal(version, (await Changes(version - 1)).Last().Version);
                _time.Advance(TimeSpan.FromSeconds(10));
            }
        }
        Assert.Equal([1L, 2L, 3L, 4L, 5L], (await Changes(0)).Select(s => s.Version));
    }

    [Fact]
    public async Task Unasked_for_a_minute_the_feed_keeps_only_the_current_state()
    {
        // The first minute of an activation counts as watched: a watcher of the previous activation asks again soon.
        for (var version = 1; version <= 3; version++) _feed.Publish(new Snapshot(version), _time.GetUtcNow());
        _time.Advance(TimeSpan.FromSeconds(61));
        for (var version = 4; version <= 6; version++) _feed.Publish(new Snapshot(version), _time.GetUtcNow());
        Assert.Equal([6L], (await Changes(0)).Select(s => s.Version));

        // Asked again (a watch starts with a look), it keeps every change for the watcher.
        Assert.Equal(6L, _feed.Current(() => throw new InvalidOperationException("published"), _time.GetUtcNow()).Version);
        for (var version = 7; version <= 9; version++) _feed.Publish(new Snapshot(version), _time.GetUtcNow());
        Assert.Equal([7L, 8L, 9L], (await Changes(6)).Select(s => s.Version));
    }

    [Fact]
    public async Task The_first_minute_of_an_activation_keeps_every_change_for_a_watcher_of_the_previous_one()
    {
        for (var version = 1; version <= 3; version++) _feed.Publish(new Snapshot(version), _time.GetUtcNow());
        _time.Advance(TimeSpan.FromSeconds(30));
        _feed.Publish(new Snapshot(4), _time.GetUtcNow());
        Assert.Equal([1L, 2L, 3L, 4L], (await Changes(0)).Select(s => s.Version));
    }

    [Fact]
    public async Task A_watcher_ahead_of_the_saved_state_gets_the_next_activations_state_even_after_as_many_changes()
    {
        // A first activation saved version 10, then published 11 and 12 (observed only) and died; a watcher holds 12.
        var dead = new SnapshotFeed<Snapshot>(s => s.Version);
        for (var saved = 10; saved <= 12; saved++) dead.Publish(new Snapshot(saved), _time.GetUtcNow());
        var held = (await dead.ChangesSince(0, TimeSpan.Zero, () => dead.Published!, _time)).Last().Version;

        _time.Advance(TimeSpan.FromSeconds(5)); // the failover
        var version = SnapshotFeed<Snapshot>.FirstVersionOfActivation(10, _time.GetUtcNow());
        _feed.Publish(new Snapshot(++version), _time.GetUtcNow());
        _feed.Publish(new Snapshot(++version), _time.GetUtcNow());

        Assert.Equal([version - 1, version], (await Changes(held)).Select(s => s.Version));
    }

    private Task<IReadOnlyList<Snapshot>> Changes(long after) =>
        _feed.ChangesSince(after, TimeSpan.Zero, () => _feed.Published!, _time);
}
