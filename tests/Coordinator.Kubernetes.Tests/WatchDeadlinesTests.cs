using Coordinator.Kubernetes.Watching;
using Microsoft.Extensions.Time.Testing;

namespace Coordinator.Kubernetes.Tests;

public sealed class WatchDeadlinesTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 3, 8, 0, 1, TimeSpan.Zero);

    [Fact]
    public void Watches_whose_deadlines_fall_in_one_window_share_a_token_and_it_ends_with_the_window()
    {
        var time = new FakeTimeProvider(Start);
        using var stopping = new CancellationTokenSource();
        var deadlines = new WatchDeadlines(stopping.Token, time);

        var first = deadlines.After(TimeSpan.FromSeconds(330));
        time.Advance(TimeSpan.FromSeconds(3));
        var second = deadlines.After(TimeSpan.FromSeconds(330)); // 08:05:34, the same window as 08:05:31
        time.Advance(TimeSpan.FromSeconds(10));
        var later = deadlines.After(TimeSpan.FromSeconds(330)); // 08:05:44: the next window

        Assert.Equal(first, second);
        Assert.NotEqual(first, later);

        time.Advance(TimeSpan.FromSeconds(330 - 13 + 8)); // 08:05:39, before the window's end at 08:05:40
        Assert.False(first.IsCancellationRequested);
        time.Advance(TimeSpan.FromSeconds(1)); // 08:05:40
        Assert.True(first.IsCancellationRequested);
        Assert.False(later.IsCancellationRequested);
        time.Advance(TimeSpan.FromSeconds(10));
        Assert.True(later.IsCancellationRequested);
    }

    [Fact]
    public void Every_deadline_ends_when_the_process_stops()
    {
        var time = new FakeTimeProvider(Start);
        using var stopping = new CancellationTokenSource();
        var deadlines = new WatchDeadlines(stopping.Token, time);
        var pending = deadlines.After(TimeSpan.FromMinutes(5));

        stopping.Cancel();

        Assert.True(pending.IsCancellationRequested);
        Assert.True(deadlines.After(TimeSpan.FromMinutes(5)).IsCancellationRequested);
    }
}
