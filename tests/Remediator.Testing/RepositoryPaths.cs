namespace Remediator.Testing;

/// <summary>Where the checkout is, found from the test's output folder: tests read the real rules/ and fixtures.</summary>
public static class RepositoryPaths
{
    private static readonly Lazy<string> RootPath = new(FindRoot);

    /// <summary>The folder holding Remediator.sln.</summary>
    public static string Root => RootPath.Value;

    public static string Rules => Path.Combine(Root, "rules");

    public static string Fixtures => Path.Combine(Root, "tests", "fixtures");

    public static string InRoot(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Remediator.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"no Remediator.sln above {AppContext.BaseDirectory}");
    }
}
