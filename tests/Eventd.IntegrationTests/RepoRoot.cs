namespace Eventd.IntegrationTests;

/// <summary>The checkout these tests were built from: the folder above the test binaries that holds the solution.</summary>
public static class RepoRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(System.IO.Path.Combine(root.FullName, "Eventd.Orleans.sln")))
        {
            root = root.Parent;
        }

        return root?.FullName ?? throw new DirectoryNotFoundException("Eventd.Orleans.sln not found above the test binaries");
    }
}
