using Coordinator.KubeSim.Api;

namespace Coordinator.KubeSim.Faults;

/// <summary>What the fault injector decided for one request.</summary>
internal readonly record struct FaultDecision(TimeSpan Delay, UnreachableMode Unreachable, KubeApiException? Error);

/// <summary>
/// Fault injection for one cluster, from C# or the admin endpoint. Randomness comes from a Random seeded by
/// <see cref="FaultSettings.Seed"/>, so a test sees the same sequence of failures on every run.
/// </summary>
public sealed class ClusterFaults
{
    private readonly object _gate = new();
    private FaultSettings _settings = FaultSettings.None;
    private bool _interceptsRequests;
    private HashSet<string> _unhealthyImages = [];
    private List<ScriptedFault>? _scripted;
    private Random? _random;
    private TaskCompletionSource? _released;

    public FaultSettings Settings
    {
        get { lock (_gate) return _settings; }
    }

    public IReadOnlyList<ScriptedFault> Scripted
    {
        get { lock (_gate) return _scripted?.ToList() ?? []; }
    }

    /// <summary>
    /// Raised (outside the lock) when the set of unhealthy images changed, so the cluster re-evaluates its pods' readiness.
    /// </summary>
    internal event Action? UnhealthyImagesChanged;

    /// <summary>Replaces the standing faults (scripted ones stay) and reseeds the random source.</summary>
    public void Set(FaultSettings settings)
    {
        bool imagesChanged;
        lock (_gate)
        {
            _settings = settings;
            // Unhealthy images act on pods, not on requests: they alone don't send requests through the injector.
            _interceptsRequests = settings with { UnhealthyImages = FaultSettings.None.UnhealthyImages } != FaultSettings.None;
            _random = new Random(settings.Seed);
            if (settings.Unreachable != UnreachableMode.Hang) Release();
            imagesChanged = ReplaceUnhealthyImages([.. settings.UnhealthyImages]);
        }
        if (imagesChanged) UnhealthyImagesChanged?.Invoke();
    }

    /// <summary>True when pods running this image must stay unready (the <see cref="FaultSettings.UnhealthyImages"/> fault).</summary>
    internal bool IsUnhealthyImage(string image)
    {
        lock (_gate) return _unhealthyImages.Contains(image);
    }

    /// <summary>
    /// Applies <paramref name="settings"/> for <paramref name="duration"/>, then clears the standing faults, unless other
    /// settings replaced them meanwhile (e.g. a cluster unreachable for 20 s). Returns when the faults were set.
    /// </summary>
    public void SetFor(FaultSettings settings, TimeSpan duration, TimeProvider? time = null)
    {
        if (duration <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(duration), "the duration must be positive");
        Set(settings);
        _ = LiftLaterAsync(settings, duration, time ?? TimeProvider.System);
    }

    private async Task LiftLaterAsync(FaultSettings settings, TimeSpan duration, TimeProvider time)
    {
        await Task.Delay(duration, time);
        bool lifted;
        lock (_gate) lifted = ReferenceEquals(_settings, settings);
        if (lifted) Set(FaultSettings.None with { UnhealthyImages = settings.UnhealthyImages });
    }

    public void AddScripted(ScriptedFault fault)
    {
        if (fault.Count <= 0) throw new ArgumentOutOfRangeException(nameof(fault), "Count must be positive");
        lock (_gate) (_scripted ??= []).Add(fault);
    }

    /// <summary>Removes every fault, lets hanging requests through and lets unhealthy pods become Ready.</summary>
    public void Clear()
    {
        bool imagesChanged;
        lock (_gate)
        {
            _settings = FaultSettings.None;
            _interceptsRequests = false;
            _scripted = null;
            _random = null;
            Release();
            imagesChanged = ReplaceUnhealthyImages([]);
        }
        if (imagesChanged) UnhealthyImagesChanged?.Invoke();
    }

    /// <summary>True when requests must go through <see cref="Decide"/>.</summary>
    internal bool IsActive
    {
        get { lock (_gate) return _interceptsRequests || _scripted != null; }
    }

    /// <summary>Completes when a hang fault is lifted.</summary>
    internal Task WhenReleased()
    {
        lock (_gate)
        {
            if (_settings.Unreachable != UnreachableMode.Hang) return Task.CompletedTask;
            _released ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _released.Task;
        }
    }

    internal FaultDecision Decide(string verb, ResourceType? type, string? ns, string? name)
    {
        lock (_gate)
        {
            var s = _settings;
            if (s.Unreachable != UnreachableMode.None) return new FaultDecision(TimeSpan.Zero, s.Unreachable, null);
            _random ??= new Random(s.Seed);
            var delay = s.Latency + (s.LatencyJitter > TimeSpan.Zero ? _random.NextDouble() * s.LatencyJitter : TimeSpan.Zero);
            var resource = type?.Plural ?? "";
            if (_scripted != null)
            {
                var index = _scripted.FindIndex(f => f.Matches(verb, resource, ns, name));
                if (index >= 0)
                {
                    var fault = _scripted[index];
                    if (fault.Count <= 1) _scripted.RemoveAt(index);
                    else _scripted[index] = fault with { Count = fault.Count - 1 };
                    if (_scripted.Count == 0) _scripted = null;
                    return new FaultDecision(delay, UnreachableMode.None, ErrorFor(fault.StatusCode, type, name, s.RetryAfterSeconds));
                }
            }
            var roll = _random.NextDouble();
            int? code = roll < s.ErrorRate500 ? 500
                : roll < s.ErrorRate500 + s.ErrorRate503 ? 503
                : roll < s.ErrorRate500 + s.ErrorRate503 + s.ErrorRate429 ? 429
                : null;
            if (code == null && verb is "create" or "update" or "patch" or "delete" && s.ConflictRateOnWrites > 0
                && _random.NextDouble() < s.ConflictRateOnWrites)
                code = 409;
            return new FaultDecision(delay, UnreachableMode.None, code is int c ? ErrorFor(c, type, name, s.RetryAfterSeconds) : null);
        }
    }

    private bool ReplaceUnhealthyImages(HashSet<string> images)
    {
        if (images.SetEquals(_unhealthyImages)) return false;
        _unhealthyImages = images;
        return true;
    }

    private void Release()
    {
        _released?.TrySetResult();
        _released = null;
    }

    private static KubeApiException ErrorFor(int code, ResourceType? type, string? name, int retryAfter) => code switch
    {
        409 when type != null => KubeApiException.Conflict(type, name ?? ""),
        409 => new KubeApiException(409, "Conflict", "Operation cannot be fulfilled: the object has been modified; please apply your changes to the latest version and try again"),
        429 => new KubeApiException(429, "TooManyRequests", "the server has received too many requests and has asked us to try again later", kind: type?.Plural)
        {
            RetryAfterSeconds = retryAfter,
        },
        500 => new KubeApiException(500, "InternalError", "Internal error occurred: injected by KubeSim"),
        503 => new KubeApiException(503, "ServiceUnavailable", "the server is currently unable to handle the request"),
        404 when type != null => KubeApiException.NotFound(type, name ?? ""),
        _ => new KubeApiException(code, "InternalError", $"injected fault {code}"),
    };
}
