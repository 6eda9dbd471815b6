namespace Coordinator.Testing;

/// <summary>The repository under test, found by walking up from the test assembly to Coordinator.sln.</summary>
public static class Repository
{
    private static readonly Lazy<string> LazyRoot = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Coordinator.sln"))) return dir.FullName;
        throw new InvalidOperationException($"Coordinator.sln not found above {AppContext.BaseDirectory}");
    });

    public static string Root => LazyRoot.Value;

    /// <summary>A repository-relative path (forward slashes) as a full path.</summary>
    public static string PathOf(string relative) => Path.Combine(Root, relative.Replace('/', Path.DirectorySeparatorChar));
}
