using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Coordinator.Deploy.Tests.Support;

/// <summary>The parts of docker-compose.yml the tests read (the file uses the map forms of build, environment and depends_on).</summary>
public sealed class ComposeFile
{
    public Dictionary<string, ComposeService> Services { get; set; } = [];
    public Dictionary<string, object?> Volumes { get; set; } = [];

    /// <summary>Parses with YAML merge keys (<c>&lt;&lt;: *silo</c>) resolved, as compose does.</summary>
    public static ComposeFile Load(string text) =>
        new DeserializerBuilder()
            .WithNamingConvention(UnderscoredNamingConvention.Instance)
            .IgnoreUnmatchedProperties()
            .Build()
            .Deserialize<ComposeFile>(new MergingParser(new Parser(new StringReader(text))));
}

public sealed class ComposeService
{
    public ComposeBuild? Build { get; set; }
    public string? Image { get; set; }
    public List<string>? Command { get; set; }
    public Dictionary<string, string?> Environment { get; set; } = [];
    public Dictionary<string, ComposeDependency> DependsOn { get; set; } = [];
    public List<string> Ports { get; set; } = [];
    public List<string> Expose { get; set; } = [];
    public List<string> Volumes { get; set; } = [];
    public ComposeHealthcheck? Healthcheck { get; set; }
    public string? Hostname { get; set; }
}

public sealed class ComposeBuild
{
    public string Context { get; set; } = ".";
    public string Dockerfile { get; set; } = "Dockerfile";

    /// <summary>The Dockerfile's repository-relative path.</summary>
    public string DockerfilePath => Path.GetRelativePath(Repo.Root, Path.GetFullPath(Path.Combine(Repo.PathOf(Context), Dockerfile))).Replace('\\', '/');
}

public sealed class ComposeDependency
{
    public string? Condition { get; set; }
}

public sealed class ComposeHealthcheck
{
    public List<string> Test { get; set; } = [];
}

/// <summary>The instructions of a Dockerfile, continuation lines joined, comments dropped.</summary>
public sealed record Dockerfile(IReadOnlyList<(string Instruction, string Arguments)> Instructions)
{
    public static Dockerfile Load(string relativePath)
    {
        var instructions = new List<(string, string)>();
        var current = "";
        foreach (var raw in File.ReadAllLines(Repo.PathOf(relativePath)))
        {
            var line = raw.Trim();
            if (line.StartsWith('#') || (line.Length == 0 && current.Length == 0)) continue;
            if (line.EndsWith('\\'))
            {
                current += line[..^1] + " ";
                continue;
            }
            current += line;
            var space = current.IndexOf(' ');
            if (space > 0) instructions.Add((current[..space].ToUpperInvariant(), current[(space + 1)..].Trim()));
            current = "";
        }
        return new Dockerfile(instructions);
    }

    public IEnumerable<string> All(string instruction) => Instructions.Where(i => i.Instruction == instruction).Select(i => i.Arguments);
}
