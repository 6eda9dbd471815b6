using Coordinator.Silo.Security;

namespace Coordinator.Silo.Tests.Security;

/// <summary>The token file reads exactly as kube-apiserver's --token-auth-file does.</summary>
public sealed class StaticTokenFileTests
{
    [Fact]
    public void Reads_users_uids_and_the_quoted_group_list()
    {
        var warnings = new List<string>();
        var file = StaticTokenFile.Parse("abc,alice,100,\"dev,ops\"\r\n\r\ndef,bob,101\nghi,\"car,l\",102,solo\n", "tokens.csv", warnings.Add);
        Assert.Equal(new TokenUser("alice", "100", ["dev", "ops"]), file.Authenticate("abc"), TokenUserComparer.Instance);
        Assert.Equal(new TokenUser("bob", "101", []), file.Authenticate("def"), TokenUserComparer.Instance);
        Assert.Equal("car,l", file.Authenticate("ghi")!.Name);
        Assert.Null(file.Authenticate("ab"));
        Assert.Empty(warnings);
    }

    [Fact]
    public void Skips_an_empty_token_and_keeps_the_last_of_duplicates_with_warnings_that_never_show_the_token()
    {
        var warnings = new List<string>();
        var file = StaticTokenFile.Parse(",nobody,1\nsecret-1,first,2\nsecret-1,second,3\n", "tokens.csv", warnings.Add);
        Assert.Equal(1, file.Count);
        Assert.Equal("second", file.Authenticate("secret-1")!.Name);
        Assert.Equal(["empty token found in token file 'tokens.csv', record number 1", "duplicate token found in token file 'tokens.csv', record number 3"], warnings);
        Assert.DoesNotContain(warnings, w => w.Contains("secret-1"));
    }

    [Theory]
    [InlineData("# tokens\nabc,alice,1\n", "must have at least 3 columns (token, user name, user uid), found 1")]
    [InlineData("abc,alice\n", "found 2")]
    [InlineData("abc,al\"ice,1\n", "bare \" in non-quoted field")]
    [InlineData("abc,alice,1,\"dev\n", "extraneous or missing \" in quoted field")]
    public void Refuses_what_kube_refuses(string text, string message) =>
        Assert.Contains(message, Assert.Throws<FormatException>(() => StaticTokenFile.Parse(text, "tokens.csv", _ => { })).Message);

    private sealed class TokenUserComparer : IEqualityComparer<TokenUser?>
    {
        public static readonly TokenUserComparer Instance = new();

        public bool Equals(TokenUser? x, TokenUser? y) =>
            x is not null && y is not null && x.Name == y.Name && x.Uid == y.Uid && x.Groups.SequenceEqual(y.Groups);

        public int GetHashCode(TokenUser? obj) => obj?.Name.GetHashCode() ?? 0;
    }
}
