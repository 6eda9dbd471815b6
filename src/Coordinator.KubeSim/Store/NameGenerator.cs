namespace Coordinator.KubeSim.Store;

/// <summary>Kubernetes' rand.String / SafeEncodeString alphabet: no vowels (no accidental words) and no look-alike characters.</summary>
internal static class NameGenerator
{
    public const string Alphabet = "bcdfghjklmnpqrstvwxz2456789";

    public static string RandomSuffix(int length = 5)
    {
        Span<char> chars = stackalloc char[length];
        for (var i = 0; i < length; i++) chars[i] = Alphabet[Random.Shared.Next(Alphabet.Length)];
        return new string(chars);
    }

    /// <summary>Like rand.SafeEncodeString(fmt.Sprint(hash)): each decimal digit maps to Alphabet[digit char code % 27].</summary>
    public static string SafeEncode(uint hash)
    {
        var digits = hash.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var chars = new char[digits.Length];
        for (var i = 0; i < digits.Length; i++) chars[i] = Alphabet[digits[i] % Alphabet.Length];
        return new string(chars);
    }
}
