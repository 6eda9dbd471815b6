using Microsoft.Extensions.DependencyInjection;
using Microsoft.Win32.SafeHandles;
using Orleans.Runtime.Hosting;
using Orleans.Storage;

namespace Coordinator.Benchmarks;

/// <summary>
/// Grain storage for the benchmarks' silo that keeps each saved state in a temporary file, outside the process, as a
/// remote store does. The production silo writes its Rollouts to Azure Table storage: a saved state leaves the process.
/// Orleans' memory storage instead keeps every saved state (and a deep copy of it) in the silo's own heap, where each
/// save survives the next gen-0 collection (a third of what those collections copied in the rollouts benchmark); native
/// memory, this class's first form, kept them off the heap but still in the working set the benchmarks report (~60 MB
/// at 10,000 Rollouts). The file's pages sit in the kernel's page cache, which is not the process's working set. The
/// states go through the silo's own <see cref="IGrainStorageSerializer"/>, with the ETag checks a real store makes.
/// </summary>
internal sealed class FileGrainStorage : IGrainStorage, IDisposable
{
    /// <summary>Where one state's bytes are: a slot of <c>Capacity</c> bytes, rewritten in place while the state fits.</summary>
    private sealed record Entry(long Offset, int Length, int Capacity, string ETag);

    private const int MinimumSlot = 1024;

    private readonly IGrainStorageSerializer _serializer;
    private readonly SafeFileHandle _file;
    private readonly Dictionary<(string State, GrainId Grain), Entry> _entries = [];
    private readonly Lock _gate = new();
    private long _end;
    private long _version;

    private FileGrainStorage(IGrainStorageSerializer serializer)
    {
        _serializer = serializer;
        var path = Path.Combine(Path.GetTempPath(), $"coordinator-bench-state-{Environment.ProcessId}-{Guid.NewGuid():N}");
        _file = File.OpenHandle(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Delete, FileOptions.DeleteOnClose);
        // Unlinked at once where the open handle keeps the file alive, so a benchmark that is killed leaves nothing behind.
        if (!OperatingSystem.IsWindows()) File.Delete(path);
    }

    public static void AddTo(ISiloBuilder silo, string name) =>
        silo.Services.AddGrainStorage(name, (services, _) => new FileGrainStorage(services.GetRequiredService<IGrainStorageSerializer>()));

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        byte[]? bytes = null;
        string? etag = null;
        lock (_gate)
        {
            if (_entries.TryGetValue((stateName, grainId), out var entry))
            {
                bytes = new byte[entry.Length];
                RandomAccess.Read(_file, bytes, entry.Offset);
                etag = entry.ETag;
            }
        }
        grainState.State = bytes is null ? Activator.CreateInstance<T>() : _serializer.Deserialize<T>(new BinaryData(bytes))!;
        grainState.ETag = etag;
        grainState.RecordExists = bytes is not null;
        return Task.CompletedTask;
    }

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var data = _serializer.Serialize(grainState.State).ToMemory();
        var key = (stateName, grainId);
        string etag;
        lock (_gate)
        {
            var current = _entries.GetValueOrDefault(key);
            if (current?.ETag != grainState.ETag)
                throw new InconsistentStateException($"ETag mismatch for {grainId}", current?.ETag, grainState.ETag);
            long offset;
            int capacity;
            if (current is not null && data.Length <= current.Capacity) (offset, capacity) = (current.Offset, current.Capacity);
            else
            {
                // A state that outgrew its slot moves to a new one at the end, its size rounded up to a power of two;
                // the old slot is not reused.
                capacity = (int)Math.Max(MinimumSlot, System.Numerics.BitOperations.RoundUpToPowerOf2((uint)data.Length));
                offset = _end;
                _end += capacity;
            }
            RandomAccess.Write(_file, data.Span, offset);
            etag = (++_version).ToString(System.Globalization.CultureInfo.InvariantCulture);
            _entries[key] = new Entry(offset, data.Length, capacity, etag);
        }
        grainState.ETag = etag;
        grainState.RecordExists = true;
        return Task.CompletedTask;
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        lock (_gate) _entries.Remove((stateName, grainId));
        grainState.State = Activator.CreateInstance<T>();
        grainState.ETag = null;
        grainState.RecordExists = false;
        return Task.CompletedTask;
    }

    public void Dispose() => _file.Dispose();
}
