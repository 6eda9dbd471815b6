using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Coordinator.Testing;

/// <summary>One log entry, with the scope properties in force when it was written (Rollout, Cluster, ...).</summary>
public sealed record CapturedLogEntry(string Category, LogLevel Level, string Message, Dictionary<string, object?> Scope);

/// <summary>Keeps every log entry, so that a test can assert what an operator would read in the log.</summary>
public sealed class CapturingLoggerProvider : ILoggerProvider, ISupportExternalScope
{
    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

    public ConcurrentQueue<CapturedLogEntry> Entries { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose() { }

    private sealed class Logger(CapturingLoggerProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => owner._scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var scope = new Dictionary<string, object?>();
            owner._scopes.ForEachScope((s, into) =>
            {
                if (s is IEnumerable<KeyValuePair<string, object>> pairs)
                    foreach (var (key, value) in pairs) into[key] = value;
            }, scope);
            owner.Entries.Enqueue(new CapturedLogEntry(category, logLevel, formatter(state, exception), scope));
        }
    }
}
