using System.Security.Cryptography;
using System.Text;

namespace Coordinator.Silo.Security;

/// <summary>A user of the token file: name, uid and groups, as kube-apiserver's <c>user.DefaultInfo</c>.</summary>
public sealed record TokenUser(string Name, string Uid, IReadOnlyList<string> Groups);

/// <summary>
/// kube-apiserver's <c>--token-auth-file</c>: CSV records <c>token,user,uid[,"group1,group2"]</c>. As in kube
/// (tokenfile.NewCSV): at least 3 columns or the file is refused, a record with an empty token is skipped with a
/// warning, a duplicate token keeps the last record, groups are the 4th column split on commas. There is no comment
/// syntax: a <c>#</c> line is a record like any other. Lookups compare in constant time.
/// </summary>
public sealed class StaticTokenFile
{
    private readonly List<(byte[] Token, TokenUser User)> _tokens;

    private StaticTokenFile(List<(byte[] Token, TokenUser User)> tokens) => _tokens = tokens;

    public int Count => _tokens.Count;

    public static StaticTokenFile Load(string path, Action<string> warn)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new StartupRefusedException($"token file '{path}': {ex.Message}");
        }
        return Parse(text, path, warn);
    }

    /// <summary>Parses the file's text; <paramref name="warn"/> hears of skipped and duplicate records (never of a token).</summary>
    public static StaticTokenFile Parse(string text, string path, Action<string> warn)
    {
        var byToken = new Dictionary<string, TokenUser>(StringComparer.Ordinal);
        var record = 0;
        IEnumerable<(int Line, IReadOnlyList<string> Fields)> records;
        try
        {
            records = GoCsv.Read(text).ToList();
        }
        catch (FormatException ex)
        {
            throw new FormatException($"token file '{path}': {ex.Message}");
        }
        foreach (var (_, fields) in records)
        {
            if (fields.Count < 3)
                throw new FormatException($"token file '{path}' must have at least 3 columns (token, user name, user uid), found {fields.Count}");
            record++;
            if (fields[0].Length == 0)
            {
                warn($"empty token found in token file '{path}', record number {record}");
                continue;
            }
            if (byToken.ContainsKey(fields[0]))
                warn($"duplicate token found in token file '{path}', record number {record}");
            byToken[fields[0]] = new TokenUser(fields[1], fields[2], fields.Count >= 4 ? fields[3].Split(',') : []);
        }
        return new StaticTokenFile(byToken.Select(kv => (Encoding.UTF8.GetBytes(kv.Key), kv.Value)).ToList());
    }

    /// <summary>The token's user, or null. Scans every entry with a constant-time comparison (no timing oracle).</summary>
    public TokenUser? Authenticate(string token)
    {
        var presented = Encoding.UTF8.GetBytes(token);
        TokenUser? found = null;
        foreach (var (known, user) in _tokens)
            if (CryptographicOperations.FixedTimeEquals(known, presented)) found = user;
        return found;
    }
}
