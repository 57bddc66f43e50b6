using System.Globalization;
using BenchmarkDotNet.Running;

namespace LazyMesh.Bench;

public static class BenchProgram
{
    /// <summary>
    /// BenchmarkDotNet's switcher, or <c>generate-log --lines N --out FILE [--inventory FILE]</c>: writes a
    /// <see cref="SyntheticMesh"/> TEXT access log (and its inventory) for load runs such as bench/recommend-memory.sh.
    /// </summary>
    public static int Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "generate-log")
        {
            return GenerateLog(args[1..]);
        }

        BenchmarkSwitcher.FromAssembly(typeof(BenchProgram).Assembly).Run(args);
        return 0;
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
