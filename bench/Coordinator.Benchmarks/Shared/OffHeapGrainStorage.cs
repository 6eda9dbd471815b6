using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime.Hosting;
using Orleans.Storage;

namespace Coordinator.Benchmarks;

/// <summary>
/// Grain storage for the benchmarks' silo that keeps each state's bytes outside the managed heap, as a remote store does.
/// The production silo writes its Rollouts to Azure Table storage: a saved state leaves the process. Orleans' memory
/// storage instead keeps every saved state (and a deep copy of it) in the silo's own heap, where each save survives the
/// next gen-0 collection; a third of what those collections copied in the rollouts benchmark was saved state, a cost
/// the production silo does not have. The states go through the silo's own <see cref="IGrainStorageSerializer"/>, with
/// the ETag checks a real store makes.
/// </summary>
internal sealed class OffHeapGrainStorage(IGrainStorageSerializer serializer) : IGrainStorage, IDisposable
{
    private sealed record Entry(nint Bytes, int Length, string ETag);

    private readonly ConcurrentDictionary<(string State, GrainId Grain), Entry> _entries = new();
    private long _version;

    public static void AddTo(ISiloBuilder silo, string name) =>
        silo.Services.AddGrainStorage(name, (services, _) => new OffHeapGrainStorage(services.GetRequiredService<IGrainStorageSerializer>()));

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (_entries.TryGetValue((stateName, grainId), out var entry))
        {
            var bytes = new byte[entry.Length];
            Marshal.Copy(entry.Bytes, bytes, 0, entry.Length);
            grainState.State = serializer.Deserialize<T>(new BinaryData(bytes))!;
            grainState.ETag = entry.ETag;
            grainState.RecordExists = true;
        }
        else
        {
            grainState.State = Activator.CreateInstance<T>();
            grainState.ETag = null;
            grainState.RecordExists = false;
        }
        return Task.CompletedTask;
    }

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var data = serializer.Serialize(grainState.State).ToArray();
        var bytes = Marshal.AllocHGlobal(Math.Max(data.Length, 1));
        Marshal.Copy(data, 0, bytes, data.Length);
        var written = new Entry(bytes, data.Length, Interlocked.Increment(ref _version).ToString(System.Globalization.CultureInfo.InvariantCulture));
        var key = (stateName, grainId);
        while (true)
        {
            var current = _entries.GetValueOrDefault(key);
            if (current?.ETag != grainState.ETag)
            {
                Marshal.FreeHGlobal(bytes);
                throw new InconsistentStateException($"ETag mismatch for {grainId}", current?.ETag, grainState.ETag);
            }
            var swapped = current is null ? _entries.TryAdd(key, written) : _entries.TryUpdate(key, written, current);
            if (!swapped) continue;
            if (current is not null) Marshal.FreeHGlobal(current.Bytes);
            break;
        }
        grainState.ETag = written.ETag;
        grainState.RecordExists = true;
        return Task.CompletedTask;
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (_entries.TryRemove((stateName, grainId), out var removed)) Marshal.FreeHGlobal(removed.Bytes);
        grainState.State = Activator.CreateInstance<T>();
        grainState.ETag = null;
        grainState.RecordExists = false;
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        foreach (var key in _entries.Keys)
            if (_entries.TryRemove(key, out var removed)) Marshal.FreeHGlobal(removed.Bytes);
    }
}
