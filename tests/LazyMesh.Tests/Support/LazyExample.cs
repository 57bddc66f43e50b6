using LazyMesh.Cli;
using LazyMesh.Routing;
using Spectre.Console;

namespace LazyMesh.Tests.Support;

/// <summary>
/// An example under <c>examples/NAME/</c> (<c>inventory.yaml</c>, which may hold the mesh's <c>istio</c> ConfigMap,
/// <c>access*.log</c>, <c>calls.tsv</c>) run through LazyMesh's real <c>recommend --fallback-routing</c> into a temporary directory, then
/// judged by <see cref="CheckLazy"/>.
/// </summary>
public sealed class LazyExample : IDisposable
{
    private LazyExample(string name)
    {
        Name = name;
        Directory = Path.Combine(RepoPaths.RepositoryRoot, "examples", name);
        Output = Path.Combine(Path.GetTempPath(), "lazymesh-check-" + Guid.NewGuid().ToString("N"));
    }

    public string Name { get; }

    /// <summary>The fallback routing options the example was generated with.</summary>
    public FallbackRoutingOptions Routing { get; private init; } = FallbackRoutingOptions.Default;

    public string Directory { get; }

    /// <summary>Where the generated objects are written (deleted on dispose).</summary>
    public string Output { get; }

    /// <summary>What <c>recommend</c> printed on stderr (summary and warnings).</summary>
    public string Summary { get; private set; } = string.Empty;

    public string Inventory => Path.Combine(Directory, "inventory.yaml");

    public string Calls => Path.Combine(Directory, "calls.tsv");

    /// <summary>Runs <c>recommend</c> on the example's inventory and access log with fallback routing on.</summary>
    public static LazyExample Generate(string name, FallbackRoutingOptions? routing = null)
    {
        var example = new LazyExample(name) { Routing = routing ?? FallbackRoutingOptions.Default };
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(stderr), Ansi = AnsiSupport.No, Interactive = InteractionSupport.No });
        var logs = System.IO.Directory.GetFiles(example.Directory, "access*.log").Order(StringComparer.Ordinal).ToArray();
        var exit = RecommendCommand.Run(
            [example.Inventory], logs, example.Output, "cluster.local", null, 500, strict: false, stdout, console,
            meshConfigPath: null, example.Routing);
        example.Summary = stderr.ToString();
        if (exit != CliExitCodes.Success)
        {
            throw new InvalidOperationException($"recommend failed ({exit}) on examples/{name}:\n{example.Summary}");
        }

        return example;
    }

    /// <summary>Every generated file's text, by path relative to <see cref="Output"/>.</summary>
    public IReadOnlyDictionary<string, string> Files() =>
        System.IO.Directory.EnumerateFiles(Output, "*.yaml", SearchOption.AllDirectories)
            .Order(StringComparer.Ordinal)
            .ToDictionary(f => Path.GetRelativePath(Output, f).Replace('\\', '/'), File.ReadAllText, StringComparer.Ordinal);

    /// <summary>
    /// check_lazy.py on the example's inventory and the generated objects. Its BEFORE world keeps, of each generated
    /// Sidecar, only the <c>--baseline-host</c> hosts: those are what LazyMesh's own Sidecars hold before anything is
    /// learned (<see cref="HostsBeforeLearning"/>), not just <c>istio-system/*</c>.
    /// </summary>
    public CheckLazyResult Check(params string[] extraArguments) =>
        CheckLazy.Run([Inventory], Output, Calls, [.. HostsBeforeLearning().SelectMany(static h => new[] { "--baseline-host", h }), .. extraArguments]);

    /// <summary>
    /// Every egress host of the Sidecars LazyMesh writes for this example before it has seen any traffic: the real
    /// <c>recommend --include-unseen</c> on the inventory and an empty access log (baseline, fallback host, and what
    /// <c>ScopeImports.FromStart</c> imports), across all workloads.
    /// </summary>
    public IReadOnlyList<string> HostsBeforeLearning()
    {
        var before = Output + "-before";
        var emptyLog = Output + "-empty.log";
        try
        {
            File.WriteAllText(emptyLog, string.Empty);
            var stderr = new StringWriter();
            var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(stderr), Ansi = AnsiSupport.No, Interactive = InteractionSupport.No });
            var exit = RecommendCommand.Run(
                [Inventory], [emptyLog], before, "cluster.local", null, 500, strict: false, TextWriter.Null, console,
                meshConfigPath: null, Routing, filter: RecommendFilter.Default with { IncludeUnseen = true });
            if (exit != CliExitCodes.Success)
            {
                throw new InvalidOperationException($"recommend --include-unseen failed ({exit}) on examples/{Name}:\n{stderr}");
            }

            var hosts = new SortedSet<string>(StringComparer.Ordinal);
            var deserializer = new YamlDotNet.Serialization.DeserializerBuilder().Build();
            foreach (var file in System.IO.Directory.EnumerateFiles(before, "*.yaml", SearchOption.AllDirectories))
            {
                var doc = deserializer.Deserialize<Dictionary<string, object?>>(File.ReadAllText(file));
                if (doc.GetValueOrDefault("kind") as string != "Sidecar" || doc.GetValueOrDefault("spec") is not Dictionary<object, object?> spec
                    || spec.GetValueOrDefault("egress") is not List<object?> egress)
                {
                    continue;
                }

                foreach (var listener in egress.OfType<Dictionary<object, object?>>())
                {
                    hosts.UnionWith((listener.GetValueOrDefault("hosts") as List<object?> ?? []).OfType<string>());
                }
            }

            return [.. hosts];
        }
        finally
        {
            File.Delete(emptyLog);
            if (System.IO.Directory.Exists(before))
            {
                System.IO.Directory.Delete(before, recursive: true);
            }
        }
    }

    public void Dispose()
    {
        if (System.IO.Directory.Exists(Output))
        {
            System.IO.Directory.Delete(Output, recursive: true);
        }
    }
}
