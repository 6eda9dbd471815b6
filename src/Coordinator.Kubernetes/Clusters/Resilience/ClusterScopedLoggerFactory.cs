using Microsoft.Extensions.Logging;

namespace Coordinator.Kubernetes.Clusters.Resilience;

/// <summary>
/// The loggers of one cluster's resilience pipeline: what they log (retries, timeouts, the circuit opening) is written
/// inside a scope carrying {Cluster} (Serilog takes scopes as properties). The scope is opened when an entry is
/// written, not around every request: a scope per request set an AsyncLocal (a new ExecutionContext) on each of the
/// thousands of calls a fleet run makes, and almost none of them logs anything.
/// </summary>
internal sealed class ClusterScopedLoggerFactory(ILoggerFactory inner, string cluster) : ILoggerFactory
{
    private readonly KeyValuePair<string, object>[] _scope = [new("Cluster", cluster)];

    public ILogger CreateLogger(string categoryName) => new ScopedLogger(inner.CreateLogger(categoryName), _scope);

    public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

    /// <summary>The factory it wraps belongs to the host, which disposes it.</summary>
    public void Dispose()
    {
    }

    private sealed class ScopedLogger(ILogger inner, KeyValuePair<string, object>[] scope) : ILogger
    {
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!inner.IsEnabled(logLevel)) return;
            using (inner.BeginScope(scope))
            {
                inner.Log(logLevel, eventId, state, exception, formatter);
            }
        }

        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => inner.BeginScope(state);
    }
}
