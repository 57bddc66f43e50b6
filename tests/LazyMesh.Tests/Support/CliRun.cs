using System.Diagnostics;
using System.Text;

namespace LazyMesh.Tests.Support;

/// <summary>One run of the real <c>lazymesh</c> binary to completion, stdout and stderr kept apart.</summary>
public sealed record CliRun(int ExitCode, string Stdout, string Stderr)
{
    /// <param name="environment">Variables to set (a null value removes the variable).</param>
    public static Task<CliRun> RunAsync(string[] args, IReadOnlyDictionary<string, string?>? environment = null) =>
        RunProgramAsync("dotnet", [Path.Combine(AppContext.BaseDirectory, "lazymesh.dll"), .. args], environment);

    /// <summary>Any program (e.g. <c>bash</c> running the <c>./lazymesh</c> wrapper), the same way.</summary>
    public static async Task<CliRun> RunProgramAsync(string program, string[] args, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var info = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                info.Environment.Remove(name);
            }
            else
            {
                info.Environment[name] = value;
            }
        }

        using var process = Process.Start(info)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', args)} did not exit within 60 s; stderr so far:\n{await stderr}");
        }

        return new CliRun(process.ExitCode, await stdout, await stderr);
    }
}
