namespace Routing.Tests.Infrastructure;

/// <summary>The repository the tests run from: the directory above the test output that holds Routing.sln.</summary>
public static class Repository
{
    public static string Root { get; } = Find();

    private static string Find()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Routing.sln")))
        {
            root = root.Parent;
        }
        return root?.FullName ?? throw new InvalidOperationException("Routing.sln not found above the test output.");
    }
}
