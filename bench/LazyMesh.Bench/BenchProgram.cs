using System.Globalization;
using BenchmarkDotNet.Running;

namespace LazyMesh.Bench;

public static class BenchProgram
{
    /// <summary>
    /// BenchmarkDotNet's switcher, or a tool named by the first argument: <c>als-load</c>, <c>als-server</c> (its
    /// child process), <c>controller-latency</c>, <c>store-memory</c>, <c>inventory-memory</c>, or <c>generate-log --lines N --out FILE [--inventory FILE]</c>: writes a
    /// <see cref="SyntheticMesh"/> TEXT access log (and its inventory) for load runs such as bench/recommend-memory.sh.
    /// </summary>
    public static async Task<int> Main(string[] args)
    {
        switch (args.FirstOrDefault())
        {
            case "generate-log":
                return GenerateLog(args[1..]);
            case "als-load":
                return await AlsLoadTool.RunAsync(args[1..]);
            case "als-server":
                return await AlsLoadServer.RunAsync(args[1..]);
            case "controller-latency":
                return await ControllerLatencyTool.RunAsync(args[1..]);
            case "store-memory":
                return StoreMemoryTool.Run(args[1..]);
            case "inventory-memory":
                return InventoryMemoryTool.Run(args[1..]);
            default:
                BenchmarkSwitcher.FromAssembly(typeof(BenchProgram).Assembly).Run(args);
                return 0;
        }
    }

    private static int GenerateLog(string[] args)
    {
        long lines = 0;
        string? output = null;
        string? inventory = null;
        for (int i = 0; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--lines":
                    lines = long.Parse(args[i + 1], CultureInfo.InvariantCulture);
                    break;
                case "--out":
                    output = args[i + 1];
                    break;
                case "--inventory":
                    inventory = args[i + 1];
                    break;
                default:
                    Console.Error.WriteLine($"unknown option {args[i]}");
                    return 2;
            }
        }

        if (lines <= 0 || output is null)
        {
            Console.Error.WriteLine("usage: generate-log --lines N --out FILE [--inventory FILE]");
            return 2;
        }

        var mesh = new SyntheticMesh();
        if (inventory is not null)
        {
            using var writer = new StreamWriter(inventory);
            mesh.WriteInventory(writer);
        }

        long bytes = SyntheticLogWriter.WriteFile(mesh, output, lines);
        Console.Error.WriteLine($"wrote {lines} lines, {bytes} bytes to {output}");
        return 0;
    }
}
