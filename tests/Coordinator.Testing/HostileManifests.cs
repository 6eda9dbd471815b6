using System.Text;

namespace Coordinator.Testing;

/// <summary>Manifests built to crash or exhaust a naive reader: each is small to send and ruinous to expand or recurse into.</summary>
public static class HostileManifests
{
    public const string Name = "hostile";

    private const string Header = $"apiVersion: argoproj.io/v1alpha1\nkind: Rollout\nmetadata: {{name: {Name}, namespace: test}}\n";

    /// <summary>The 9×9 "billion laughs" of CVE-2019-11253: 72 aliases, under 700 bytes, 387 million nodes once expanded.</summary>
    public static string BillionLaughs()
    {
        var yaml = new StringBuilder(Header).Append("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
        for (var level = 'b'; level <= 'i'; level++)
            yaml.Append($"{level}: &{level} [{string.Join(",", Enumerable.Repeat($"*{(char)(level - 1)}", 9))}]\n");
        return yaml.Append("spec: {}\n").ToString();
    }

    /// <summary><paramref name="count"/> aliases of one scalar: cheap to expand, but more aliases than any Rollout needs.</summary>
    public static string ManyAliases(int count) =>
        Header + "x: &x 1\nl: [" + string.Join(",", Enumerable.Repeat("*x", count)) + "]\nspec: {}\n";

    /// <summary><c>[[[[…]]]]</c>, <paramref name="levels"/> deep (200 KB for 100 000).</summary>
    public static string DeepYamlSequences(int levels) => new string('[', levels) + new string(']', levels);

    /// <summary>A spec of <c>{a: {a: …}}</c>, <paramref name="levels"/> deep.</summary>
    public static string DeepYamlMappings(int levels) =>
        Header + "spec: " + string.Concat(Enumerable.Repeat("{a: ", levels)) + "1" + new string('}', levels) + "\n";

    /// <summary>A JSON Rollout whose spec nests <paramref name="levels"/> objects deep.</summary>
    public static string DeepJson(int levels) =>
        $"{{\"apiVersion\":\"argoproj.io/v1alpha1\",\"kind\":\"Rollout\",\"metadata\":{{\"name\":\"{Name}\"}},\n\"spec\":"
        + string.Concat(Enumerable.Repeat("{\"a\":", levels)) + "1" + new string('}', levels) + "}";

    /// <summary>A well-formed manifest padded with a comment to exactly <paramref name="bytes"/> bytes.</summary>
    public static string Oversize(int bytes)
    {
        var head = Header + "spec: {}\n#";
        return head + new string('x', bytes - head.Length - 1) + "\n";
    }

    /// <summary>A canary with <paramref name="count"/> steps.</summary>
    public static string Steps(int count) =>
        Header + "spec:\n  strategy:\n    canary:\n      steps:\n" + string.Concat(Enumerable.Repeat("        - setWeight: 10\n", count));
}
