using System.Xml.Linq;

namespace Coordinator.Architecture.Tests;

/// <summary>The references a project declares in its .csproj: project names (without extension) and package ids.</summary>
public sealed record ProjectFile(string Name, IReadOnlyList<string> ProjectReferences, IReadOnlyList<string> PackageReferences)
{
    public static ProjectFile Load(string name)
    {
        var path = Path.Combine(RepositoryRoot(), "src", name, $"{name}.csproj");
        var project = XDocument.Load(path);
        List<string> Includes(string item) =>
            project.Descendants(item).Select(e => (string?)e.Attribute("Include") ?? "").Where(i => i.Length > 0).ToList();
        return new ProjectFile(
            name,
            Includes("ProjectReference").Select(p => Path.GetFileNameWithoutExtension(p.Replace('\\', '/'))).ToList(),
            Includes("PackageReference"));
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Coordinator.sln"))) return dir.FullName;
        throw new InvalidOperationException($"Coordinator.sln not found above {AppContext.BaseDirectory}");
    }
}
