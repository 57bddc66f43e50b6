using System.Diagnostics;
using System.Globalization;

namespace LazyMesh.InformerBench;

/// <summary>
/// The test API server in a child process (<c>serve</c> mode of this program), seeded with the given cluster size,
/// so that the measuring process holds only what it measures. Disposing ends the child and deletes its kubeconfig.
/// </summary>
public sealed class SeededServerProcess : IAsyncDisposable
{
    private SeededServerProcess(Process process, string kubeconfig)
    {
        Process = process;
        Kubeconfig = kubeconfig;
    }

    public Process Process { get; }

    public string Kubeconfig { get; }

    /// <summary>Starts and seeds the server; null (reported on stderr) when the child ended before it was ready.</summary>
    public static async Task<SeededServerProcess?> StartAsync(string name, int namespaces, int deployments, int pods, int services)
    {
        var kubeconfig = Path.Combine(Path.GetTempPath(), $"lazymesh-{name}-{Environment.ProcessId}.kubeconfig");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add(typeof(InformerBenchProgram).Assembly.Location);
        foreach (var arg in new[] { "serve", kubeconfig, "--pods", Str(pods), "--services", Str(services), "--deployments", Str(deployments), "--namespaces", Str(namespaces) })
        {
            start.ArgumentList.Add(arg);
        }

        var server = new SeededServerProcess(Process.Start(start)!, kubeconfig);
        string? line;
        while ((line = await server.Process.StandardOutput.ReadLineAsync()) != "READY")
        {
            if (line is null)
            {
                Console.Error.WriteLine("the server process ended before it was ready");
                await server.DisposeAsync();
                return null;
            }

            Console.WriteLine("server: " + line);
        }

        return server;
    }

    /// <summary>
    /// The server's counters so far: write requests, and writes that changed nothing (an update, patch or apply whose
    /// result equals the object it replaced: kube-apiserver would still have taken it).
    /// </summary>
    public async Task<(long Writes, long NoOpWrites)> WriteStatsAsync()
    {
        await Process.StandardInput.WriteLineAsync("stats");
        await Process.StandardInput.FlushAsync();
        var line = await Process.StandardOutput.ReadLineAsync() ?? throw new InvalidOperationException("the server process ended");
        var parts = line.Split(' ');
        return parts is ["stats", var writes, var noOps]
            ? (long.Parse(writes, CultureInfo.InvariantCulture), long.Parse(noOps, CultureInfo.InvariantCulture))
            : throw new InvalidOperationException($"the server answered \"{line}\" to stats");
    }

    /// <summary>The server process's GC pauses of 20 ms or more so far (it is a .NET process: its pauses stall the API).</summary>
    public async Task<IReadOnlyList<GcPause>> GcPausesAsync()
    {
        await Process.StandardInput.WriteLineAsync("pauses");
        await Process.StandardInput.FlushAsync();
        var line = await Process.StandardOutput.ReadLineAsync() ?? throw new InvalidOperationException("the server process ended");
        var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return parts is ["pauses", ..]
            ? [.. parts.Skip(1).Select(GcPause.Parse)]
            : throw new InvalidOperationException($"the server answered \"{line}\" to pauses");
    }

    public async ValueTask DisposeAsync()
    {
        Process.StandardInput.Close();
        await Process.WaitForExitAsync();
        Process.Dispose();
        File.Delete(Kubeconfig);
    }

    private static string Str(int value) => value.ToString(CultureInfo.InvariantCulture);
}
