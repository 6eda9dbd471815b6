namespace Coordinator.Kubernetes.Clusters.Resilience;

/// <summary>
/// How the Kubernetes calls of every cluster are bounded, retried and cut off (configuration section
/// <c>Coordinator:Kubernetes</c>). Each cluster gets its own pipeline built from these values, so a failing API server
/// opens only its own circuit. Watches are not subject to any of this except <see cref="CallTimeout"/> for their
/// response headers: they are meant to stay open.
/// </summary>
public sealed class KubernetesResilienceOptions
{
    public const string Section = "Coordinator:Kubernetes";

    /// <summary>
    /// The most one API call may take, retries and their delays included: the longest a hanging API server can hold a
    /// grain. Also the time a watch request gets to answer with its headers.
    /// </summary>
    public TimeSpan CallTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>One attempt (request sent, whole response read); a read whose attempt timed out is tried again within <see cref="CallTimeout"/>.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Retries after the first attempt (reads; refused requests of any verb).</summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>First retry delay, doubled per retry with jitter; a Retry-After header replaces it.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Share of failed attempts (5xx, 408, transport errors, attempt timeouts) within <see cref="BreakerSamplingDuration"/> that opens the cluster's circuit.</summary>
    public double BreakerFailureRatio { get; set; } = 0.5;

    /// <summary>Attempts needed within the sampling duration before the ratio counts (a few failures of an idle cluster do not open it).</summary>
    public int BreakerMinimumThroughput { get; set; } = 10;

    public TimeSpan BreakerSamplingDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long an open circuit fails calls at once before one call is let through to probe the server.</summary>
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first setting out of range.</summary>
    public void Validate()
    {
        static void Positive(TimeSpan value, string name)
        {
            if (value <= TimeSpan.Zero) throw new ArgumentException($"{Section}:{name} must be positive, not {value}");
        }
        Positive(CallTimeout, nameof(CallTimeout));
        Positive(AttemptTimeout, nameof(AttemptTimeout));
        Positive(RetryDelay, nameof(RetryDelay));
        // Polly refuses shorter windows and breaks.
        if (BreakerSamplingDuration < TimeSpan.FromMilliseconds(500))
            throw new ArgumentException($"{Section}:{nameof(BreakerSamplingDuration)} must be at least 0.5 s, not {BreakerSamplingDuration}");
        if (BreakDuration < TimeSpan.FromMilliseconds(500))
            throw new ArgumentException($"{Section}:{nameof(BreakDuration)} must be at least 0.5 s, not {BreakDuration}");
        if (AttemptTimeout > CallTimeout)
            throw new ArgumentException($"{Section}:{nameof(AttemptTimeout)} ({AttemptTimeout}) must not exceed {nameof(CallTimeout)} ({CallTimeout})");
        if (MaxRetries is < 0 or > 10) throw new ArgumentException($"{Section}:{nameof(MaxRetries)} must be between 0 and 10, not {MaxRetries}");
        if (BreakerFailureRatio is <= 0 or > 1)
            throw new ArgumentException($"{Section}:{nameof(BreakerFailureRatio)} must be in (0, 1], not {BreakerFailureRatio}");
        if (BreakerMinimumThroughput < 2)
            throw new ArgumentException($"{Section}:{nameof(BreakerMinimumThroughput)} must be at least 2, not {BreakerMinimumThroughput}");
    }
}
