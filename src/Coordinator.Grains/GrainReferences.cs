namespace Coordinator.Grains;

/// <summary>
/// Grain references without the reflection of <see cref="IGrainFactory.GetGrain{TGrainInterface}(string, string?)"/>,
/// which reads the interface's attributes again on every call to find its grain interface type (Orleans 10 does not
/// cache it): ~1 % of the silo's CPU in a 1,000-cluster fleet run, where the fleet grain and the Rollouts address one
/// another thousands of times. The interface's types are resolved once; a reference is then made from its grain id.
/// </summary>
internal static class GrainReferences
{
    public static T Get<T>(IGrainFactory grains, string key) where T : IGrainWithStringKey
    {
        var types = Types<T>.Of(grains);
        return (T)grains.GetGrain(GrainId.Create(types.Grain, key), types.Interface);
    }

    public static T Get<T>(IGrainFactory grains, long key) where T : IGrainWithIntegerKey
    {
        var types = Types<T>.Of(grains);
        return (T)grains.GetGrain(GrainId.Create(types.Grain, GrainIdKeyExtensions.CreateIntegerKey(key)), types.Interface);
    }

    private sealed record Resolved(GrainType Grain, GrainInterfaceType Interface);

    /// <summary>One interface's grain type and grain interface type, as Orleans resolves them for its first reference.</summary>
    private static class Types<T> where T : IAddressable
    {
        private static Resolved? _resolved;

        public static Resolved Of(IGrainFactory grains)
        {
            if (_resolved is { } resolved) return resolved;
            var sample = (GrainReference)(typeof(IGrainWithIntegerKey).IsAssignableFrom(typeof(T))
                ? grains.GetGrain(typeof(T), 0L)
                : grains.GetGrain(typeof(T), "-"));
            // A benign race: two first callers resolve the same types.
            return _resolved = new Resolved(sample.GrainId.Type, sample.InterfaceType);
        }
    }
}
