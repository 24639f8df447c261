namespace PerfRules.Tests.Meta;

/// <summary>Finds files of the repository the tests run from (the folder holding PerfRules.sln).</summary>
internal static class RepositoryLayout
{
    public static string Root { get; } = FindRoot();

    public static string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "PerfRules.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("PerfRules.sln not found above " + AppContext.BaseDirectory);
    }
}
