using Coordinator.Domain.Fleet;

namespace Coordinator.Domain.Tests.Fleet;

public sealed class LabelSelectorMatcherTests
{
    private static readonly Dictionary<string, string> Labels = new() { ["region"] = "europe", ["tier"] = "web" };

    [Theory]
    [InlineData("In", new[] { "europe", "us" }, true)]
    [InlineData("In", new[] { "us" }, false)]
    [InlineData("NotIn", new[] { "us" }, true)]
    [InlineData("NotIn", new[] { "europe" }, false)]
    [InlineData("Exists", new string[0], true)]
    [InlineData("DoesNotExist", new string[0], false)]
    [InlineData("in", new[] { "europe" }, false)]
    public void Each_operator_matches_as_in_Kubernetes(string op, string[] values, bool matches)
    {
        Assert.Equal(matches, LabelSelectorMatcher.Matches(Labels, new LabelRequirement("region", op, values)));
    }

    [Theory]
    [InlineData("NotIn", true)]
    [InlineData("DoesNotExist", true)]
    [InlineData("In", false)]
    [InlineData("Exists", false)]
    public void A_missing_label_matches_only_the_negative_operators(string op, bool matches)
    {
        Assert.Equal(matches, LabelSelectorMatcher.Matches(Labels, new LabelRequirement("zone", op, ["a"])));
    }

    [Fact]
    public void Match_labels_and_expressions_must_all_hold_and_an_empty_selector_matches_everything()
    {
        Assert.True(LabelSelectorMatcher.Matches(Labels, new Dictionary<string, string> { ["tier"] = "web" }, [new("region", "In", ["europe"])]));
        Assert.False(LabelSelectorMatcher.Matches(Labels, new Dictionary<string, string> { ["tier"] = "web" }, [new("region", "In", ["us"])]));
        Assert.False(LabelSelectorMatcher.Matches(Labels, new Dictionary<string, string> { ["tier"] = "batch" }));
        Assert.True(LabelSelectorMatcher.Matches(Labels, new Dictionary<string, string>()));
    }
}
