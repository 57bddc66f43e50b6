using System.CommandLine;

namespace LazyMesh.Cli;

/// <summary>The <c>lazymesh</c> command line: one binary, one sub-command per mode.</summary>
public static class LazyMeshCli
{
    public static async Task<int> RunAsync(string[] args)
    {
        var root = new RootCommand("LazyMesh: learns each workload's dependencies from Istio access logs and writes its Sidecar.");
        var parse = root.Parse(args);
        return await parse.InvokeAsync();
    }
}
