using Coordinator.Domain.Planning;
using Coordinator.Domain.State;
using Coordinator.Domain.Text;

namespace Coordinator.Domain.Tests;

/// <summary>
/// Texts many Rollouts keep (condition and Event messages, names the clusters send) are one instance each, and values
/// that never repeat (resourceVersions) do not take a slot from them.
/// </summary>
public sealed class SharedTextTests
{
    [Fact]
    public void Two_rollouts_that_reach_the_same_condition_hold_one_message()
    {
        var now = DateTimeOffset.Parse("2026-12-02T03:00:00Z");
        var first = Conditions.Set(new RolloutStatus(), Conditions.Progressing, "True", "ReplicaSetUpdated", Format("rollouts-demo-687d76d795"), now);
        var second = Conditions.Set(new RolloutStatus(), Conditions.Progressing, "True", "ReplicaSetUpdated", Format("rollouts-demo-687d76d795"), now);

        Assert.Equal("ReplicaSet \"rollouts-demo-687d76d795\" is progressing.", second.Conditions[0].Message);
        Assert.Same(first.Conditions[0].Message, second.Conditions[0].Message);
    }

    [Fact]
    public void Names_are_shared_and_resource_versions_are_not()
    {
        Assert.Same(SharedStrings.Get("rollouts-demo-canary".AsSpan()), SharedStrings.Get(new string("rollouts-demo-canary".AsSpan())));
        Assert.Same(SharedStrings.Get("2".AsSpan()), SharedStrings.Get(new string('2', 1).AsSpan()));
        var version = SharedStrings.Get("1234567".AsSpan());
        Assert.Equal("1234567", version);
        Assert.NotSame(version, SharedStrings.Get("1234567".AsSpan()));
    }

    [Fact]
    public void A_table_keeps_nothing_longer_than_its_limit()
    {
        var table = new StringTable(16, 8);
        var shortText = table.Share(new string('a', 8));
        Assert.Same(shortText, table.Share(new string('a', 8)));
        Assert.Same(shortText, table.Get(new string('a', 8).AsSpan()));
        var longText = new string('b', 9);
        Assert.Same(longText, table.Share(longText));
        Assert.NotSame(table.Get(longText.AsSpan()), table.Get(longText.AsSpan()));
        Assert.Equal("", table.Share(""));
    }

    /// <summary>A message formatted per Rollout, as the planner does: a new string each time.</summary>
    private static string Format(string replicaSet) => Conditions.ReplicaSetProgressingMessage(replicaSet);

    [Fact]
    public void A_json_string_element_is_shared_and_unescaped_and_other_elements_have_no_string()
    {
        using var json = System.Text.Json.JsonDocument.Parse("""{"a":"rollouts-demo","b":"rollouts-demo","c":"s\u0031","n":5}""");
        var root = json.RootElement;

        Assert.Same(SharedStrings.Get(root.GetProperty("a")), SharedStrings.Get(root.GetProperty("b")));
        Assert.Equal("s1", SharedStrings.Get(root.GetProperty("c")));
        Assert.Null(SharedStrings.Get(root.GetProperty("n")));
    }
}
