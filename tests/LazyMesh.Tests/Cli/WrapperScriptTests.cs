using LazyMesh.Tests.Support;

namespace LazyMesh.Tests.Cli;

/// <summary>
/// The <c>./lazymesh</c> wrapper says on stderr when it builds (first run, or sources changed) and is silent when it
/// does not. Run on a copy of the script in a scratch tree with a stand-in <c>dotnet</c> first on PATH, so no real
/// build happens.
/// </summary>
public sealed class WrapperScriptTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "lazymesh-wrapper-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    [Fact]
    public async Task The_first_build_says_it_is_building_and_a_current_build_is_silent()
    {
        var tree = Path.Combine(_dir, "repo");
        Directory.CreateDirectory(Path.Combine(tree, "src", "LazyMesh"));
        Directory.CreateDirectory(Path.Combine(tree, "deploy"));
        File.Copy(Path.Combine(RepoPaths.RepositoryRoot, "lazymesh"), Path.Combine(tree, "lazymesh"));
        File.WriteAllText(Path.Combine(tree, "src", "LazyMesh", "LazyMesh.csproj"), "<Project />");
        File.WriteAllText(Path.Combine(tree, "src", "LazyMesh", "Program.cs"), "// v1");
        File.WriteAllText(Path.Combine(tree, "Directory.Build.props"), "<Project />");
        File.WriteAllText(Path.Combine(tree, "Directory.Packages.props"), "<Project />");

        // A stand-in dotnet: "build ... -o DIR" makes DIR/lazymesh.dll (and counts builds), "dotnet DLL ARGS" echoes ARGS.
        var bin = Path.Combine(_dir, "bin");
        Directory.CreateDirectory(bin);
        var builds = Path.Combine(_dir, "builds");
        File.WriteAllText(Path.Combine(bin, "dotnet"), $$"""
            #!/usr/bin/env bash
            if [ "$1" = build ]; then
              while [ $# -gt 0 ]; do if [ "$1" = -o ]; then out="$2"; fi; shift; done
              mkdir -p "$out" && touch "$out/lazymesh.dll" && echo built >> '{{builds}}'
              exit 0
            fi
            shift; echo "ran $*"
            """.Replace("\r\n", "\n", StringComparison.Ordinal));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(Path.Combine(bin, "dotnet"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        var first = await RunAsync(tree, bin, "version");
        Assert.Equal(0, first.ExitCode);
        Assert.Contains("first run, building", first.Stderr, StringComparison.Ordinal);
        Assert.Equal("ran version", first.Stdout.Trim());

        var second = await RunAsync(tree, bin, "version");
        Assert.Equal(string.Empty, second.Stderr);
        Assert.Equal("ran version", second.Stdout.Trim());

        File.WriteAllText(Path.Combine(tree, "src", "LazyMesh", "Program.cs"), "// v2");
        File.SetLastWriteTimeUtc(Path.Combine(tree, "src", "LazyMesh", "Program.cs"), DateTime.UtcNow.AddMinutes(1));
        var third = await RunAsync(tree, bin, "version");
        Assert.Contains("sources changed, building", third.Stderr, StringComparison.Ordinal);
        Assert.Equal(2, File.ReadAllLines(builds).Length);
    }

    private static Task<CliRun> RunAsync(string tree, string bin, string command) =>
        CliRun.RunProgramAsync("bash", [Path.Combine(tree, "lazymesh"), command], new Dictionary<string, string?>
        {
            ["PATH"] = bin + Path.PathSeparator + Environment.GetEnvironmentVariable("PATH"),
        });
}
