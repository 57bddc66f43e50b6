namespace LazyMesh.Tests.Support;

/// <summary>Finds external programs on PATH.</summary>
public static class ExternalCommand
{
    public static string? Find(string command)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, command);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    public static string Require(string command) =>
        Find(command) ?? throw new InvalidOperationException($"'{command}' is not on PATH");

    public static string DebianPackage(string command) => command switch
    {
        "promtool" => "prometheus",
        _ => command,
    };
}
