using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using LazyMesh.Als;

namespace LazyMesh.Bench;

/// <summary>An <c>als-server</c> child process of this same executable.</summary>
internal sealed class AlsServerProcess : IAsyncDisposable
{
    private readonly Process _process;

    private AlsServerProcess(Process process, AlsHandlerMode mode, int port)
    {
        _process = process;
        Mode = mode;
        Port = port;
    }

    public AlsHandlerMode Mode { get; }

    public int Port { get; }

    public static async Task<AlsServerProcess> StartAsync(AlsHandlerMode mode)
    {
        var host = Environment.ProcessPath!;
        var info = new ProcessStartInfo(host) { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(host) == "dotnet")
        {
            info.ArgumentList.Add(Assembly.GetExecutingAssembly().Location);
        }

        foreach (var a in new[] { "als-server", "--mode", mode.ToString() })
        {
            info.ArgumentList.Add(a);
        }

        var process = Process.Start(info)!;
        var line = await process.StandardOutput.ReadLineAsync() ?? throw new InvalidOperationException("als-server exited");
        return new AlsServerProcess(process, mode, int.Parse(line["listening ".Length..], CultureInfo.InvariantCulture));
    }

    public async Task<(long Messages, long Entries, long Attributed, long Skipped, long Edges)> StatsAsync()
    {
        await _process.StandardInput.WriteLineAsync("stats");
        await _process.StandardInput.FlushAsync();
        var parts = (await _process.StandardOutput.ReadLineAsync())!.Split(' ');
        long P(int i) => long.Parse(parts[i], CultureInfo.InvariantCulture);
        return (P(1), P(2), P(3), P(4), P(5));
    }

    public async ValueTask DisposeAsync()
    {
        _process.StandardInput.Close();
        if (!_process.WaitForExit(10_000))
        {
            _process.Kill();
        }

        await Task.CompletedTask;
        _process.Dispose();
    }
}
