using LazyMesh.Istio;
using LazyMesh.Rendering;
using LazyMesh.Routing;
using LazyMesh.Sinks;
using LazyMesh.Tests.Support;

namespace LazyMesh.Tests.Sinks;

/// <summary>Issue 11, "Only our files": each test first reproduces a finding against the directory sink.</summary>
public sealed class OnlyOurFilesTests : IDisposable
{
    private const string UserSidecar = """
        apiVersion: networking.istio.io/v1
        kind: Sidecar
        metadata:
          name: lazymesh-productpage
          namespace: default
        spec:
          egress:
          - hosts:
            - "./*"
        """;

    private readonly string _dir = Path.Combine(Path.GetTempPath(), "lazymesh-ours-" + Guid.NewGuid().ToString("N"));

    public OnlyOurFilesTests() => Directory.CreateDirectory(_dir);

    private string Root => Path.Combine(_dir, "out");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static SidecarResource Sidecar(string name = "productpage") =>
        SidecarRenderer.Render(TestWorkloads.Create(@namespace: "default", name: name), ["default/reviews.default.svc.cluster.local"], [], RenderOptions.Default);

    [Fact]
    public void An_unmanaged_file_at_a_generated_name_is_neither_overwritten_nor_deleted()
    {
        var sink = new DirectorySink(Root);
        var path = sink.PathFor("default", "lazymesh-productpage");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, UserSidecar);

        Assert.Equal(WriteResult.NotOurs, sink.Write(Sidecar()));
        Assert.False(sink.Delete("default", "lazymesh-productpage"));
        Assert.Equal(UserSidecar, File.ReadAllText(path));

        // A file that holds our object with the label is ours, even when edited by hand.
        File.WriteAllBytes(path, ResourceYaml.SerializeToUtf8(Sidecar()));
        File.AppendAllText(path, "# edited\n");
        Assert.Equal(WriteResult.Written, sink.Write(Sidecar()));
        Assert.True(sink.Delete("default", "lazymesh-productpage"));
    }

    [Fact]
    public void A_managed_copy_elsewhere_claiming_the_identity_does_not_get_the_users_file_deleted()
    {
        var sink = new DirectorySink(Root);
        var userPath = sink.PathFor("default", "lazymesh-productpage");
        Directory.CreateDirectory(Path.GetDirectoryName(userPath)!);
        File.WriteAllText(userPath, UserSidecar);
        var claimant = Path.Combine(Root, "default", "copy.yaml");
        File.WriteAllBytes(claimant, ResourceYaml.SerializeToUtf8(Sidecar()));

        // What the prune of recommend and the controller sees: a managed Sidecar, but not at its own path.
        var stored = sink.ReadAll();
        Assert.Contains(stored, s => s.IsManaged && s.Path == claimant);
        Assert.DoesNotContain(stored, sink.IsAtItsOwnPath);
        Assert.False(sink.Delete("default", "lazymesh-productpage"));
        Assert.True(File.Exists(userPath));
        Assert.True(File.Exists(claimant));
    }

    [Fact]
    public void Recommend_neither_overwrites_nor_prunes_a_users_file_at_a_generated_name()
    {
        var output = Path.Combine(_dir, "rec");
        var userPath = Path.Combine(output, "bookinfo", "lazymesh-productpage-v1.yaml");
        var orphan = Path.Combine(output, "bookinfo", "lazymesh-gone.yaml");
        Directory.CreateDirectory(Path.GetDirectoryName(userPath)!);
        File.WriteAllText(userPath, UserSidecar.Replace("default", "bookinfo", StringComparison.Ordinal).Replace("lazymesh-productpage", "lazymesh-productpage-v1", StringComparison.Ordinal));
        File.WriteAllText(orphan, UserSidecar.Replace("default", "bookinfo", StringComparison.Ordinal).Replace("lazymesh-productpage", "lazymesh-gone", StringComparison.Ordinal));
        var before = File.ReadAllText(userPath);
        var stderr = new StringWriter();
        var console = Spectre.Console.AnsiConsole.Create(new Spectre.Console.AnsiConsoleSettings { Out = new Spectre.Console.AnsiConsoleOutput(stderr), Ansi = Spectre.Console.AnsiSupport.No });
        console.Profile.Width = 10_000;
        var example = Path.Combine(RepoPaths.RepositoryRoot, "examples", "bookinfo");

        Assert.Equal(0, LazyMesh.Cli.RecommendCommand.Run([Path.Combine(example, "inventory.yaml")], [Path.Combine(example, "access.log")], output, "cluster.local", null, 500, strict: false, new StringWriter(), console));

        Assert.Equal(before, File.ReadAllText(userPath));
        Assert.True(File.Exists(orphan));
        Assert.Contains("not writing " + userPath, stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Temporary_file_cleanup_never_follows_a_symlink_out_of_the_output_directory()
    {
        var outside = Path.Combine(_dir, "outside");
        Directory.CreateDirectory(outside);
        var victim = Path.Combine(outside, ".precious.yaml.tmp-0123456789ab");
        File.WriteAllText(victim, "not LazyMesh's");
        Directory.CreateDirectory(Root);
        Directory.CreateSymbolicLink(Path.Combine(Root, "linked"), outside);
        var ownLeftover = Path.Combine(Root, ".x.yaml.tmp-0123456789ab");
        File.WriteAllText(ownLeftover, "half");

        _ = new DirectorySink(Root);

        Assert.True(File.Exists(victim));
        Assert.False(File.Exists(ownLeftover));
    }

    [Fact]
    public void A_deployment_named_like_a_kind_suffix_does_not_share_a_file_with_the_namespace_envoyfilter()
    {
        var sink = new DirectorySink(Root);
        var sidecar = Sidecar("fallback.envoyfilter");
        // The per-workload EnvoyFilter carries the name of its workload's Sidecar; a Deployment named like a
        // kind suffix must still get its own file.
        var envoyFilter = FallbackEnvoyFilterRenderer.Render("default", "lazymesh-fallback", new Dictionary<string, string> { ["app"] = "fallback" }, FallbackRoutingOptions.Default, "istio-system");
        Assert.Equal("lazymesh-fallback.envoyfilter", sidecar.Metadata.Name);
        Assert.Equal("lazymesh-fallback", envoyFilter.Metadata.Name);

        Assert.NotEqual(sink.PathFor("default", sidecar.Metadata.Name), sink.PathFor("default", envoyFilter.Metadata.Name, envoyFilter.Kind));
        Assert.Equal(WriteResult.Written, sink.Write(envoyFilter));
        Assert.Equal(WriteResult.Written, sink.Write(sidecar));
        Assert.Equal(WriteResult.Unchanged, sink.Write(envoyFilter));
        Assert.Equal(ResourceYaml.SerializeToUtf8(envoyFilter), File.ReadAllBytes(sink.PathFor("default", envoyFilter.Metadata.Name, envoyFilter.Kind)));
        Assert.Equal("lazymesh-fallback.envoyfilter", Assert.Single(sink.ReadAll()).Sidecar.Metadata.Name);
    }

    [Fact]
    public void File_names_map_back_to_one_kind_and_name()
    {
        var sink = new DirectorySink(Root);
        string[] kinds = ["Sidecar", "EnvoyFilter", "Service"];
        string[] names = ["a", "a.sidecar", "a.envoyfilter", "a.service", "a.b", "lazymesh-fallback"];
        var paths = kinds.SelectMany(k => names.Select(n => sink.PathFor("default", n, k))).ToList();
        Assert.Equal(paths.Count, paths.Distinct(StringComparer.Ordinal).Count());
    }
}
