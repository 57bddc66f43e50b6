namespace LazyMesh.Tests.Support;

/// <summary>Locates the repository and the shared reference files next to it.</summary>
public static class RepoPaths
{
    public const string SolutionFile = "LazyMesh.slnx";
    public const string IstioCrdsEnvironmentVariable = "LAZYMESH_ISTIO_CRDS";

    private static readonly string IstioCrdsRelative = Path.Combine("shared", "istio", "customresourcedefinitions.gen.yaml");

    /// <summary>The directory holding <c>LazyMesh.slnx</c>, found by walking up from the test binaries.</summary>
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    /// <summary>
    /// Istio's <c>customresourcedefinitions.gen.yaml</c>: <c>$LAZYMESH_ISTIO_CRDS</c> if set, else
    /// <c>../shared/istio/</c> next to the repository, else <c>shared/istio/</c> in any further ancestor
    /// (a git worktree sits one level deeper than the main checkout).
    /// </summary>
    public static string IstioCrds()
    {
        var tried = new List<string>();
        if (Environment.GetEnvironmentVariable(IstioCrdsEnvironmentVariable) is { Length: > 0 } fromEnvironment)
        {
            if (File.Exists(fromEnvironment))
            {
                return fromEnvironment;
            }

            tried.Add(fromEnvironment);
        }

        for (var dir = Directory.GetParent(RepositoryRoot); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, IstioCrdsRelative);
            if (File.Exists(candidate))
            {
                return candidate;
            }

            tried.Add(candidate);
        }

        throw new FileNotFoundException(
            $"Istio CRD file not found; looked at: {string.Join(", ", tried)}. Set {IstioCrdsEnvironmentVariable} to its path.");
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, SolutionFile)))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException($"No {SolutionFile} found above {AppContext.BaseDirectory}.");
    }
}
