namespace Coordinator.KubeSim.Hosting;

/// <summary>Settings of a <see cref="KubeSimServer"/>, shared by all its clusters.</summary>
public sealed record KubeSimOptions
{
    /// <summary>TCP port on 127.0.0.1; 0 picks a free one.</summary>
    public int Port { get; init; }

    /// <summary>How long a new pod stays Pending before it is Running and Ready.</summary>
    public TimeSpan PodReadyDelay { get; init; } = TimeSpan.FromMilliseconds(150);

    /// <summary>Clock for creationTimestamps, AGE columns, readiness delays and injected latency.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Committed changes kept per cluster for watch resume; older resourceVersions get 410 Expired.</summary>
    public int WatchHistoryLimit { get; init; } = 1000;
}
