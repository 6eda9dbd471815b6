using Orleans.Serialization;
using Orleans.Storage;

namespace Coordinator.Grains.Hosting;

/// <summary>
/// Grain state in Orleans' binary format, read back from that or from the Newtonsoft JSON that Orleans' default
/// serializer wrote before. The default wrote a Rollout's state as 10 KB of JSON, two thirds of it <c>$type</c> and
/// <c>$id</c> annotations and property names around the event history (13.6 KB once Azure Table base64-encodes it), on
/// every save: after a silo failure the single-threaded Azurite spent most of its time parsing that, and everything that
/// waited on storage (the reactivations' state reads, every save) queued behind it. The binary format numbers fields by
/// their <c>[Id]</c> (the state types declare them), so it stays readable as fields are added or removed.
/// </summary>
internal sealed class CompactGrainStorageSerializer(Serializer serializer, OrleansJsonSerializer json) : IGrainStorageSerializer
{
    private readonly OrleansGrainStorageSerializer _binary = new(serializer);
    private readonly JsonGrainStorageSerializer _json = new(json);

    /// <summary>
    /// The bytes Orleans' storage serializer writes, made in a pooled buffer and copied once into an array of their size:
    /// Orleans' own grows an <c>ArrayBufferWriter</c> by doubling, so a save allocated two to three times its size (a
    /// 1,000-cluster fleet run's state is ~160 KB, every copy on the large-object heap).
    /// </summary>
    public BinaryData Serialize<T>(T? input) => new(serializer.SerializeToArray(input));

    public T? Deserialize<T>(BinaryData input) => IsJson(input) ? _json.Deserialize<T>(input) : _binary.Deserialize<T>(input);

    /// <summary>
    /// State written by the JSON serializer is an object, so it starts with <c>{</c>; the binary format starts with the
    /// header of its root field, which for a class is never that byte (a test pins it for every state type).
    /// </summary>
    public static bool IsJson(BinaryData data)
    {
        var bytes = data.ToMemory().Span;
        return bytes.Length > 0 && bytes[0] == (byte)'{';
    }
}
