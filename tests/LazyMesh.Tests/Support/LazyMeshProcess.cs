using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace LazyMesh.Tests.Support;

/// <summary>
/// Runs the real <c>lazymesh</c> binary (built next to the tests) as a child process, collecting its
/// output line by line so tests can await what it prints instead of sleeping.
/// </summary>
public sealed class LazyMeshProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<string> _lines = [];
    private readonly Lock _gate = new();
    private readonly List<(Regex Pattern, TaskCompletionSource<Match> Found, int Skip)> _waiters = [];

    private LazyMeshProcess(Process process) => _process = process;

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public string Output
    {
        get
        {
            lock (_gate)
            {
                return string.Join('\n', _lines);
            }
        }
    }

    public static LazyMeshProcess Start(params string[] args)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "lazymesh.dll");
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        info.ArgumentList.Add(dll);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var wrapper = new LazyMeshProcess(process);
        process.OutputDataReceived += (_, e) => wrapper.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => wrapper.OnLine(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return wrapper;
    }

    /// <summary>Waits for a line matching <paramref name="pattern"/> (already printed or still to come).</summary>
    /// <param name="skip">How many matching lines to pass over (already printed or still to come) before the one awaited.</param>
    public async Task<Match> WaitForLineAsync(string pattern, TimeSpan? timeout = null, int skip = 0)
    {
        var regex = new Regex(pattern, RegexOptions.CultureInvariant);
        var found = new TaskCompletionSource<Match>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            foreach (var line in _lines)
            {
                if (regex.Match(line) is { Success: true } m && skip-- <= 0)
                {
                    return m;
                }
            }

            _waiters.Add((regex, found, skip));
        }

        var exited = _process.WaitForExitAsync();
        var limit = Task.Delay(timeout ?? TimeSpan.FromSeconds(60));
        var first = await Task.WhenAny(found.Task, exited, limit);
        if (first == found.Task)
        {
            return await found.Task;
        }

        // The process may have printed the line just before exiting.
        await Task.Yield();
        if (found.Task.IsCompleted)
        {
            return await found.Task;
        }

        throw new TimeoutException($"no line matching /{pattern}/ ({(first == exited ? "process exited" : "timed out")}); output:\n{Output}");
    }

    /// <summary>Starts the controller and waits until it says it is ready; returns its ALS and HTTP endpoints.</summary>
    public async Task<(IPEndPoint Als, IPEndPoint Http)> WaitForControllerReadyAsync()
    {
        var m = await WaitForLineAsync(@"controller ready: als=(\S+) http=(\S+)");
        return (IPEndPoint.Parse(m.Groups[1].Value), IPEndPoint.Parse(m.Groups[2].Value));
    }

    public async Task<int> WaitForExitAsync(TimeSpan? timeout = null)
    {
        await _process.WaitForExitAsync().WaitAsync(timeout ?? TimeSpan.FromSeconds(60));
        _process.WaitForExit();
        return _process.ExitCode;
    }

    /// <summary>SIGKILL: no chance to flush anything.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    /// <summary>SIGTERM: a graceful stop.</summary>
    public async Task<int> TerminateAsync()
    {
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        return await WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_gate)
        {
            _lines.Add(line);
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Pattern.Match(line) is not { Success: true } m)
                {
                    continue;
                }

                if (_waiters[i].Skip > 0)
                {
                    _waiters[i] = _waiters[i] with { Skip = _waiters[i].Skip - 1 };
                    continue;
                }

                _waiters[i].Found.TrySetResult(m);
                _waiters.RemoveAt(i);
            }
        }
    }
}
