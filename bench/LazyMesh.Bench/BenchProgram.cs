using BenchmarkDotNet.Running;

namespace LazyMesh.Bench;

/// <summary>
/// BenchmarkDotNet benchmarks, plus the tools that are not microbenchmarks (first argument):
/// <c>als-load</c>, <c>als-server</c> (its child process), <c>controller-latency</c>, <c>store-memory</c>.
/// </summary>
public static class BenchProgram
{
    public static async Task<int> Main(string[] args)
    {
        switch (args.FirstOrDefault())
        {
            case "als-load":
                return await AlsLoadTool.RunAsync(args[1..]);
            case "als-server":
                return await AlsLoadServer.RunAsync(args[1..]);
            case "controller-latency":
                return await ControllerLatencyTool.RunAsync(args[1..]);
            case "store-memory":
                return StoreMemoryTool.Run(args[1..]);
            default:
                BenchmarkSwitcher.FromAssembly(typeof(BenchProgram).Assembly).Run(args);
                return 0;
        }
    }
}
