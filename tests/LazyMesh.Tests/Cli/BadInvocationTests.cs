using LazyMesh.Tests.Support;

namespace LazyMesh.Tests.Cli;

/// <summary>
/// Every argument error, whatever the command, exits 2 with a message that names the offending option and shows no
/// .NET exception text (type names, "Object reference", stack traces). Runs the real binary, as a user would.
/// </summary>
public sealed class BadInvocationTests
{
    private static readonly string Inventory = Path.Combine(RepoPaths.RepositoryRoot, "examples", "bookinfo", "inventory.yaml");
    private static readonly string Log = Path.Combine(RepoPaths.RepositoryRoot, "examples", "bookinfo", "access.log");
    private static readonly string Missing = Path.Combine(Path.GetTempPath(), "lazymesh-missing-" + Guid.NewGuid().ToString("N"));

    /// <summary>Text that would mean .NET internals reached the user.</summary>
    private static readonly string[] Leaks = ["Exception", "System.", "Microsoft.", "LazyMesh.", "Object reference", "   at ", "Int32", "Double"];

    public static TheoryData<string, string[]> Cases() => new()
    {
        // unknown options and arguments
        { "--bogus", ["--bogus"] },
        { "--frobnicate", ["status", "--frobnicate"] },
        { "--bogus", ["recommend", "-i", Inventory, "-l", Log, "--bogus"] },
        { "--bogus", ["report", "-i", Inventory, "--bogus"] },

        // invalid -o values, and -o where a directory was meant
        { "--output", ["recommend", "-i", Inventory, "-l", Log, "-o", "xml"] },
        { "--output-dir", ["recommend", "-i", Inventory, "-l", Log, "-o", "/tmp/sidecars"] },
        { "--output", ["recommend", "-i", Inventory, "-l", Log, "--output-dir", Missing, "-o", "json"] },
        { "--output", ["report", "-i", Inventory, "-o", "csv"] },
        { "--output", ["status", "-o", "wide"] },
        { "--output", ["crd", "-o", "table"] },
        { "--output", ["version", "-o", "table"] },
        { "--output", ["install", "--apply", "-o", "json"] },

        // bad enums and choices
        { "--log-level", ["controller", "--log-level", "loud"] },
        { "--als-peer-check", ["controller", "--als-peer-check", "maybe"] },
        { "--log-format", ["controller", "--log-format", "xml"] },
        { "--profile", ["install", "--profile", "huge"] },

        // bad numbers
        { "--extra-services", ["demo", "--extra-services", "lots"] },
        { "--max-hosts", ["recommend", "-i", Inventory, "-l", Log, "--max-hosts", "99999999999"] },
        { "--max-hosts", ["recommend", "-i", Inventory, "-l", Log, "--max-hosts", "0"] },
        { "--batch", ["replay", "-t", "127.0.0.1:1", "-l", Log, "--batch", "0"] },
        { "--timeout", ["fallback", "--timeout", "soon"] },
        { "--batch", ["replay", "-t", "127.0.0.1:1", "-l", Log, "--batch", "1", "--batch", "2"] },
        { "--controller-cpu", ["install", "--controller-cpu", "lots"] },

        // bad namespaces
        { "--istio-namespace", ["controller", "-i", Inventory, "--output-dir", Missing, "--istio-namespace", "Istio_System"] },
        { "--istio-namespace", ["fallback", "-i", Inventory, "--istio-namespace", "../x"] },
        { "--mesh-config", ["controller", "-i", Inventory, "--output-dir", Missing, "--mesh-config", Missing] },

        // bad durations
        { "--ttl", ["controller", "--ttl", "5parsecs", "--als-listen", "127.0.0.1:0", "--http-listen", "127.0.0.1:0"] },
        { "--ttl", ["controller", "-i", Inventory, "--output-dir", Missing, "--ttl", "5"] }, // files mode checks it too
        { "--expiry-grace", ["controller", "-i", Inventory, "--output-dir", Missing, "--expiry-grace", "soon"] },
        { "--window", ["recommend", "-i", Inventory, "-l", Log, "--prometheus", "http://127.0.0.1:9", "--window", "a while"] },

        // bad addresses
        { "--target", ["replay", "-t", "not an address", "-l", Log] },
        { "--target", ["replay", "-t", "collector.example:99999", "-l", Log] },
        { "--als-target", ["fallback", "-i", Inventory, "--listen", "127.0.0.1:0", "--http-listen", "127.0.0.1:0", "--als-target", "controller:port"] },
        { "--listen", ["ui", "-i", Inventory, "-s", Missing, "--listen", "somewhere"] },
        { "--als-listen", ["controller", "-i", Inventory, "--output-dir", Missing, "--als-listen", "10.0.0.1"] },
        { "--allow-sender", ["controller", "-i", Inventory, "--output-dir", Missing, "--als-listen", "127.0.0.1:0", "--http-listen", "127.0.0.1:0", "--allow-sender", "1.2.3/99"] },
        { "--prometheus", ["recommend", "-i", Inventory, "--prometheus", "prometheus:9090"] },

        // missing files and values
        { "--inventory", ["recommend", "-i", Missing, "-l", Log] },
        { "--access-log", ["recommend", "-i", Inventory, "-l", Missing] },
        { "--access-log", ["replay", "-t", "127.0.0.1:1"] },
        { "--cost-model", ["report", "-i", Inventory, "--cost-model", Missing] },
        { "--sidecars", ["ui", "-i", Inventory, "-s", Missing, "--listen", "127.0.0.1:0"] },
        { "--sidecars", ["report", "-i", Inventory, "--sidecars"] },
        { "--kubeconfig", ["status", "--kubeconfig", Missing] },
        { "--mesh-config", ["recommend", "-i", Inventory, "-l", Log, "--mesh-config", Missing] },

        // namespaces
        { "--all-namespaces", ["status", "-n", "shop", "-A"] },
        { "--namespace", ["status", "-n", "Not_A_Namespace"] },
        { "--namespace", ["revert"] },
        { "--namespace", ["revert", "-n", "a", "-n", "b"] },
        { "--baseline-host", ["recommend", "-i", Inventory, "-l", Log, "--baseline-host", "not a host"] },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Exits_2_naming_the_option_without_dotnet_internals(string option, string[] args)
    {
        var run = await CliRun.RunAsync(args, new Dictionary<string, string?> { ["KUBECONFIG"] = null });

        var context = $"lazymesh {string.Join(' ', args)}\nexit {run.ExitCode}\nstderr:\n{run.Stderr}";
        Assert.True(run.ExitCode == 2, context);
        Assert.True(run.Stderr.Contains(option, StringComparison.Ordinal), context);
        Assert.StartsWith("lazymesh: ", run.Stderr, StringComparison.Ordinal);
        foreach (var leak in Leaks)
        {
            Assert.False(run.Stderr.Contains(leak, StringComparison.Ordinal), $"'{leak}' in:\n{context}");
        }

        Assert.Equal(string.Empty, run.Stdout);
    }
}
