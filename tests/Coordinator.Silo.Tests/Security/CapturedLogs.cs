using System.Collections.Concurrent;
using Serilog.Core;
using Serilog.Events;

namespace Coordinator.Silo.Tests.Security;

/// <summary>A Serilog sink that keeps every event (the silo reads sinks registered as services).</summary>
public sealed class CapturedLogs : ILogEventSink
{
    private readonly ConcurrentQueue<LogEvent> _events = new();

    public void Emit(LogEvent logEvent) => _events.Enqueue(logEvent);

    /// <summary>The audit records, as (property name → rendered value without quotes).</summary>
    public IReadOnlyList<IReadOnlyDictionary<string, string>> Audit() => _events
        .Where(e => e.MessageTemplate.Text.StartsWith("Audit ", StringComparison.Ordinal))
        .Select(e => (IReadOnlyDictionary<string, string>)e.Properties.ToDictionary(p => p.Key, p => p.Value.ToString().Trim('"')))
        .ToList();

    public IEnumerable<string> Rendered() => _events.Select(e => e.RenderMessage());
}
