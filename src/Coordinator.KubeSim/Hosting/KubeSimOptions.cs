namespace Coordinator.KubeSim.Hosting;

/// <summary>Settings of a <see cref="KubeSimServer"/>, shared by all its clusters.</summary>
public sealed record KubeSimOptions
{
    /// <summary>TCP port; 0 picks a free one.</summary>
    public int Port { get; init; }

    /// <summary>IP address the listener binds (<c>0.0.0.0</c> or <c>::</c> for every interface, e.g. in a container).</summary>
    public string BindAddress { get; init; } = "127.0.0.1";

    /// <summary>Host written into cluster URLs and kubeconfigs: how clients reach the listener (e.g. <c>kubesim</c> in compose).</summary>
    public string AdvertisedHost { get; init; } = "127.0.0.1";

    /// <summary>How long a new pod stays Pending before it is Running and Ready.</summary>
    public TimeSpan PodReadyDelay { get; init; } = TimeSpan.FromMilliseconds(150);

    /// <summary>Clock for creationTimestamps, AGE columns, readiness delays and injected latency.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>How often each cluster's garbage collector re-examines every object with owners (events trigger it too); zero: never.</summary>
    public TimeSpan GarbageCollectorSweepInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Committed changes kept per cluster for watch resume; older resourceVersions get 410 Expired.</summary>
    public int WatchHistoryLimit { get; init; } = 1000;
}
