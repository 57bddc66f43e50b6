using System.Diagnostics;
using System.Text.RegularExpressions;

namespace LazyMesh.Tests.Support;

/// <summary>
/// Runs istiosim's <c>check_lazy.py</c> (the lazy-loading contract judged against a simulation of istiod's sidecar
/// outbound configuration, transcribed from istio/istio 1.28) as a real process and parses its verdict line
/// <c>lazy: N calls, N ok, N broken</c>.
/// </summary>
public static partial class CheckLazy
{
    public const string EnvironmentVariable = "LAZYMESH_ISTIOSIM";

    private static readonly string ScriptRelative = Path.Combine("shared", "istiosim", "check_lazy.py");

    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    /// <summary>
    /// <c>check_lazy.py</c>: <c>$LAZYMESH_ISTIOSIM</c> (the directory) if set, else <c>shared/istiosim/</c> in an
    /// ancestor of the repository, found the way <see cref="RepoPaths.IstioCrds"/> finds Istio's CRDs.
    /// </summary>
    public static string Script()
    {
        var tried = new List<string>();
        if (Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } fromEnvironment)
        {
            var candidate = Path.Combine(fromEnvironment, "check_lazy.py");
            if (File.Exists(candidate))
            {
                return candidate;
            }

            tried.Add(candidate);
        }

        for (var dir = Directory.GetParent(RepoPaths.RepositoryRoot); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, ScriptRelative);
            if (File.Exists(candidate))
            {
                return candidate;
            }

            tried.Add(candidate);
        }

        throw new FileNotFoundException($"check_lazy.py not found; looked at: {string.Join(", ", tried)}. Set {EnvironmentVariable} to its directory.");
    }

    /// <summary>Runs <c>python3 check_lazy.py INVENTORY... --generated DIR --calls CALLS [extra] --trace</c>.</summary>
    /// <exception cref="InvalidOperationException">The process did not finish in time or printed no verdict line (its output is in the message).</exception>
    public static CheckLazyResult Run(IEnumerable<string> inventory, string generated, string calls, params string[] extraArguments)
    {
        var start = new ProcessStartInfo("python3")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Script());
        foreach (var path in inventory)
        {
            start.ArgumentList.Add(path);
        }

        start.ArgumentList.Add("--generated");
        start.ArgumentList.Add(generated);
        start.ArgumentList.Add("--calls");
        start.ArgumentList.Add(calls);
        foreach (var argument in extraArguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.ArgumentList.Add("--trace");
        using var process = Process.Start(start) ?? throw new InvalidOperationException("python3 could not be started");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(Timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"check_lazy.py did not finish within {Timeout}");
        }

        process.WaitForExit();
        var output = stdout.GetAwaiter().GetResult();
        var errors = stderr.GetAwaiter().GetResult();
        var verdict = Verdict().Match(output);
        if (!verdict.Success)
        {
            throw new InvalidOperationException($"check_lazy.py (exit {process.ExitCode}) printed no verdict line.\nstdout:\n{output}\nstderr:\n{errors}");
        }

        return new CheckLazyResult(
            int.Parse(verdict.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture),
            int.Parse(verdict.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture),
            int.Parse(verdict.Groups[3].Value, System.Globalization.CultureInfo.InvariantCulture),
            process.ExitCode,
            output + errors);
    }

    [GeneratedRegex(@"^lazy: (\d+) calls, (\d+) ok, (\d+) broken$", RegexOptions.Multiline)]
    private static partial Regex Verdict();
}

/// <summary>check_lazy.py's verdict; <see cref="Output"/> holds every call's three worlds and the traces of broken ones.</summary>
public sealed record CheckLazyResult(int Calls, int Ok, int Broken, int ExitCode, string Output)
{
    /// <summary>Calls whose line starts with <c>RISK</c> (TCP/TLS through PassthroughCluster before learning).</summary>
    public int Risks => Output.Split('\n').Count(static l => l.StartsWith("RISK ", StringComparison.Ordinal));

    public override string ToString() => $"lazy: {Calls} calls, {Ok} ok, {Broken} broken\n{Output}";
}
