using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace LazyMesh.Tests.Support;

/// <summary>
/// Debian's <c>chromium</c>, headless, with a fresh profile, driven over the DevTools protocol
/// (a WebSocket to <c>--remote-debugging-port</c>; <c>Runtime.evaluate</c>). Only 127.0.0.1 is contacted.
/// </summary>
public sealed class HeadlessChromium : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private readonly Process _process;
    private readonly string _profile;
    private readonly ClientWebSocket _socket = new();
    private int _nextId;

    private HeadlessChromium(Process process, string profile)
    {
        _process = process;
        _profile = profile;
    }

    /// <summary>Starts the browser on <paramref name="url"/> and connects to that page's DevTools target.</summary>
    public static async Task<HeadlessChromium> OpenAsync(string url, CancellationToken cancellationToken)
    {
        var profile = Directory.CreateTempSubdirectory("lazymesh-chromium-").FullName;
        var info = new ProcessStartInfo(ExternalCommand.Require("chromium"))
        {
            UseShellExecute = false,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        foreach (var arg in new[]
        {
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", "--remote-debugging-address=127.0.0.1",
            "--remote-debugging-port=0", $"--user-data-dir={profile}", "--window-size=1400,900", url,
        })
        {
            info.ArgumentList.Add(arg);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("chromium did not start");
        process.ErrorDataReceived += static (_, _) => { };
        process.OutputDataReceived += static (_, _) => { };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        var browser = new HeadlessChromium(process, profile);
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(StartTimeout);
            var port = await browser.WaitForPortAsync(timeout.Token);
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            string? wsUrl = null;
            while (wsUrl is null)
            {
                var targets = JsonNode.Parse(await http.GetStringAsync("/json/list", timeout.Token))!.AsArray();
                wsUrl = targets.FirstOrDefault(t => (string?)t!["type"] == "page")?["webSocketDebuggerUrl"]?.GetValue<string>();
                if (wsUrl is null)
                {
                    await Task.Delay(100, timeout.Token);
                }
            }

            await browser._socket.ConnectAsync(new Uri(wsUrl), timeout.Token);
            return browser;
        }
        catch
        {
            await browser.DisposeAsync();
            throw;
        }
    }

    /// <summary>Evaluates a JavaScript expression in the page and returns its JSON value (promises awaited).</summary>
    public async Task<JsonNode?> EvaluateAsync(string expression, CancellationToken cancellationToken)
    {
        var id = Interlocked.Increment(ref _nextId);
        var request = new JsonObject
        {
            ["id"] = id,
            ["method"] = "Runtime.evaluate",
            ["params"] = new JsonObject { ["expression"] = expression, ["returnByValue"] = true, ["awaitPromise"] = true },
        };
        await _socket.SendAsync(Encoding.UTF8.GetBytes(request.ToJsonString()), WebSocketMessageType.Text, true, cancellationToken);
        while (true)
        {
            var message = await ReceiveAsync(cancellationToken);
            if ((int?)message["id"] != id)
            {
                continue; // an event
            }

            if (message["result"]?["exceptionDetails"] is { } exception)
            {
                throw new InvalidOperationException($"page threw evaluating {expression}: {exception.ToJsonString()}");
            }

            return message["result"]?["result"]?["value"];
        }
    }

    /// <summary>Polls <paramref name="expression"/> until it is true (every 100 ms, bounded by <paramref name="timeout"/>).</summary>
    public async Task WaitUntilAsync(string expression, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        try
        {
            while ((await EvaluateAsync(expression, cts.Token))?.GetValueKind() != JsonValueKind.True)
            {
                await Task.Delay(100, cts.Token);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"'{expression}' not true within {timeout.TotalSeconds} s");
        }
    }

    /// <summary>A PNG of the page (for looking at it by hand; tests keep screenshots out of the repository).</summary>
    public async Task<byte[]> ScreenshotAsync(CancellationToken cancellationToken)
    {
        var id = Interlocked.Increment(ref _nextId);
        var request = new JsonObject { ["id"] = id, ["method"] = "Page.captureScreenshot", ["params"] = new JsonObject { ["format"] = "png" } };
        await _socket.SendAsync(Encoding.UTF8.GetBytes(request.ToJsonString()), WebSocketMessageType.Text, true, cancellationToken);
        while (true)
        {
            var message = await ReceiveAsync(cancellationToken);
            if ((int?)message["id"] == id)
            {
                return Convert.FromBase64String(message["result"]!["data"]!.GetValue<string>());
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _socket.Dispose();
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token);
            }
        }
        catch (Exception ex) when (ex is InvalidOperationException or OperationCanceledException)
        {
        }

        _process.Dispose();
        try
        {
            Directory.Delete(_profile, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private async Task<int> WaitForPortAsync(CancellationToken cancellationToken)
    {
        // With --remote-debugging-port=0 Chromium writes the port it chose to DevToolsActivePort in the profile.
        var file = Path.Combine(_profile, "DevToolsActivePort");
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"chromium exited with {_process.ExitCode} before opening its DevTools port");
            }

            if (File.Exists(file) && File.ReadAllLines(file) is [var first, ..] && int.TryParse(first, out var port))
            {
                return port;
            }

            await Task.Delay(100, cancellationToken);
        }
    }

    private async Task<JsonNode> ReceiveAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[1 << 16];
        using var message = new MemoryStream();
        while (true)
        {
            var result = await _socket.ReceiveAsync(buffer, cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                throw new InvalidOperationException("DevTools socket closed");
            }

            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
            {
                return JsonNode.Parse(message.ToArray())!;
            }
        }
    }
}
