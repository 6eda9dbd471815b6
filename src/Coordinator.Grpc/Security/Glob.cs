namespace Coordinator.Grpc.Security;

/// <summary>
/// Argo CD's glob match for policy fields: <c>*</c> matches any run of characters (slashes included, so
/// <c>prod/*</c> covers every namespace and rollout of cluster prod) and <c>?</c> one character.
/// </summary>
internal static class Glob
{
    public static bool Matches(string pattern, string value) => Matches(pattern.AsSpan(), value.AsSpan());

    private static bool Matches(ReadOnlySpan<char> pattern, ReadOnlySpan<char> value)
    {
        // Iterative wildcard match with one backtrack point: linear in practice, no recursion blow-up.
        int p = 0, v = 0, star = -1, resume = 0;
        while (v < value.Length)
        {
            if (p < pattern.Length && (pattern[p] == '?' || pattern[p] == value[v]))
            {
                p++;
                v++;
            }
            else if (p < pattern.Length && pattern[p] == '*')
            {
                star = p++;
                resume = v;
            }
            else if (star >= 0)
            {
                p = star + 1;
                v = ++resume;
            }
            else return false;
        }
        while (p < pattern.Length && pattern[p] == '*') p++;
        return p == pattern.Length;
    }
}
