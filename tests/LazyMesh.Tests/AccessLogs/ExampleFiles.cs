namespace LazyMesh.Tests.AccessLogs;

/// <summary>Locates files under the repository's examples/ folder from the test output directory.</summary>
public static class ExampleFiles
{
    public static string Path(params string[] parts)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(System.IO.Path.Combine(dir.FullName, "LazyMesh.slnx")))
        {
            dir = dir.Parent;
        }

        Assert.NotNull(dir);
        return System.IO.Path.Combine([dir.FullName, "examples", .. parts]);
    }
}
