using LazyMesh.Cli;
using LazyMesh.Tests.Support;
using LazyMesh.Ui;
using Spectre.Console;

namespace LazyMesh.Tests.Ui;

/// <summary>The bookinfo example turned into Sidecars by <c>recommend</c>, and the graph <c>lazymesh ui</c> serves for it.</summary>
public sealed class UiFixture : IDisposable
{
    public UiFixture()
    {
        Directory.CreateDirectory(Dir);
        var example = Path.Combine(RepoPaths.RepositoryRoot, "examples", "bookinfo");
        Inventory = Path.Combine(example, "inventory.yaml");
        var quiet = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(TextWriter.Null) });
        RecommendCommand.Run([Inventory], [Path.Combine(example, "access.log")], Sidecars, "cluster.local", null, 500, false, TextWriter.Null, quiet);
        Graph = UiCommand.Prepare([Inventory], Sidecars, "cluster.local", null, null, TextWriter.Null);
    }

    public string Dir { get; } = Path.Combine(Path.GetTempPath(), "lazymesh-ui-" + Guid.NewGuid().ToString("N"));

    public string Inventory { get; }

    public string Sidecars => Path.Combine(Dir, "sidecars");

    public Func<GraphDocument> Graph { get; }

    public void Dispose() => Directory.Delete(Dir, recursive: true);
}
