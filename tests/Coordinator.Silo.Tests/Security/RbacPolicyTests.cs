using Coordinator.Grpc.Security;

namespace Coordinator.Silo.Tests.Security;

/// <summary>The Argo CD-style policy language: roles, groups, globs over cluster/namespace/name, deny over allow, the default role.</summary>
public sealed class RbacPolicyTests
{
    private const string Csv = """
        # ops may do anything in prod but never delete there
        p, role:ops, rollouts, *, prod/*, allow
        p, role:ops, rollouts, delete, prod/*, deny
        g, ops-team, role:ops
        g, bob, role:ops
        p, carl, rollouts, promote, staging/test/rollouts-*, allow

        p, role:fleet-approver, fleets, approve, eu-*, allow
        """;

    private static readonly RbacPolicy Policy = RbacPolicy.Parse(Csv, "policy.csv", "");

    [Theory]
    [InlineData("bob", "", "rollouts", "promote", "prod/test/rollouts-demo", true)]
    [InlineData("bob", "", "rollouts", "delete", "prod/test/rollouts-demo", false)]
    [InlineData("bob", "", "rollouts", "promote", "staging/test/rollouts-demo", false)]
    [InlineData("eve", "ops-team", "rollouts", "set-image", "prod/x/y", true)]
    [InlineData("carl", "", "rollouts", "promote", "staging/test/rollouts-demo", true)]
    [InlineData("carl", "", "rollouts", "promote", "staging/other/rollouts-demo", false)]
    [InlineData("carl", "", "rollouts", "abort", "staging/test/rollouts-demo", false)]
    [InlineData("nobody", "", "rollouts", "get", "dev/test/rollouts-demo", false)]
    public void Decides_like_argo_cd(string user, string group, string resource, string action, string @object, bool allowed) =>
        Assert.Equal(allowed, Policy.Allows(user, group.Length > 0 ? [group] : [], resource, action, @object));

    [Fact]
    public void Built_in_roles_read_everything_or_do_everything()
    {
        var policy = RbacPolicy.Parse("g, ann, role:readonly\ng, root, role:admin", "p", "");
        Assert.True(policy.Allows("ann", [], "rollouts", "get", "prod/test/x"));
        Assert.True(policy.Allows("ann", [], "clusters", "get", "prod"));
        Assert.False(policy.Allows("ann", [], "rollouts", "promote", "prod/test/x"));
        Assert.True(policy.Allows("root", [], "rollouts", "delete", "prod/test/x"));
        Assert.True(policy.Allows("root", [], "fleets", "revert", "eu"));
    }

    [Fact]
    public void The_default_role_applies_to_everybody_and_a_deny_cannot_take_it_away()
    {
        var policy = RbacPolicy.Parse("p, zed, rollouts, get, prod/*, deny", "p", RbacPolicy.ReadOnly);
        Assert.True(policy.Allows("someone", [], "rollouts", "get", "dev/test/x"));
        Assert.True(policy.Allows("zed", [], "rollouts", "get", "prod/test/x"));
        Assert.False(policy.Allows("someone", [], "rollouts", "apply", "dev/test/x"));
    }

    [Fact]
    public void Fleet_actions_are_part_of_the_language()
    {
        Assert.True(Policy.Allows("x", ["role:fleet-approver"], "fleets", "approve", "eu-rollout"));
        Assert.False(Policy.Allows("x", ["role:fleet-approver"], "fleets", "halt", "eu-rollout"));
    }

    [Theory]
    [InlineData("p, a, rollouts, deploy, *, allow", "policy.csv:1: unknown action 'deploy'")]
    [InlineData("p, a, pods, get, *, allow", "policy.csv:1: unknown resource 'pods'")]
    [InlineData("\np, a, rollouts, get, *, maybe", "policy.csv:2: the effect is 'allow' or 'deny', not 'maybe'")]
    [InlineData("g, a", "policy.csv:1: expected 'g, USER_OR_GROUP, ROLE'")]
    [InlineData("x, a, b", "policy.csv:1: a line starts with 'p'")]
    public void Bad_lines_are_refused_naming_file_and_line(string csv, string message) =>
        Assert.StartsWith(message, Assert.Throws<FormatException>(() => RbacPolicy.Parse(csv, "policy.csv", "")).Message);
}
