using System.Collections.Concurrent;
using LazyMesh.Istio;
using LazyMesh.Mesh;
using LazyMesh.Rendering;
using LazyMesh.Sinks;
using LazyMesh.Storage;
using LazyMesh.Tests.Support;

namespace LazyMesh.Tests.Sinks;

public sealed class DirectorySinkTests : IDisposable
{
    private static readonly DateTime LongAgo = new(2001, 2, 3, 4, 5, 6, DateTimeKind.Utc);

    private readonly string _root = Path.Combine(Path.GetTempPath(), "lazymesh-sink-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    private static SidecarResource Sidecar(string name = "productpage", string ns = "default", params string[] hosts) =>
        SidecarRenderer.Render(TestWorkloads.Create(@namespace: ns, name: name), hosts, [], RenderOptions.Default);

    [Fact]
    public void Writes_namespace_slash_name_yaml_with_the_serialised_bytes()
    {
        var sink = new DirectorySink(_root);
        var sidecar = Sidecar(hosts: "default/reviews.default.svc.cluster.local");

        Assert.Equal(WriteResult.Written, sink.Write(sidecar));

        var path = Path.Combine(_root, "default", "lazymesh-productpage.yaml");
        Assert.Equal(path, sink.PathFor("default", "lazymesh-productpage"));
        Assert.Equal(ResourceYaml.SerializeToUtf8(sidecar), File.ReadAllBytes(path));
    }

    [Fact]
    public void Identical_content_is_not_rewritten_and_changed_content_is()
    {
        var sink = new DirectorySink(_root);
        var path = sink.PathFor("default", "lazymesh-productpage");
        Assert.Equal(WriteResult.Written, sink.Write(Sidecar()));
        File.SetLastWriteTimeUtc(path, LongAgo);

        Assert.Equal(WriteResult.Unchanged, sink.Write(Sidecar()));
        Assert.Equal(LongAgo, File.GetLastWriteTimeUtc(path));

        Assert.Equal(WriteResult.Written, sink.Write(Sidecar(hosts: "default/details.default.svc.cluster.local")));
        Assert.NotEqual(LongAgo, File.GetLastWriteTimeUtc(path));
        Assert.Contains("details.default", File.ReadAllText(path), StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_edited_by_hand_is_overwritten()
    {
        var sink = new DirectorySink(_root);
        sink.Write(Sidecar());
        var path = sink.PathFor("default", "lazymesh-productpage");
        File.AppendAllText(path, "# edited\n");

        Assert.Equal(WriteResult.Written, sink.Write(Sidecar()));
        Assert.Equal(ResourceYaml.SerializeToUtf8(Sidecar()), File.ReadAllBytes(path));
    }

    [Fact]
    public void Delete_removes_the_file_once()
    {
        var sink = new DirectorySink(_root);
        sink.Write(Sidecar());

        Assert.True(sink.Delete("default", "lazymesh-productpage"));
        Assert.False(sink.Delete("default", "lazymesh-productpage"));
        Assert.Empty(sink.ReadAll());
    }

    [Theory]
    [InlineData("..", "x")]
    [InlineData("default", "../x")]
    [InlineData("default", "a/b")]
    [InlineData("Default", "x")]
    [InlineData("", "x")]
    public void Unsafe_namespace_or_name_is_rejected(string ns, string name) =>
        Assert.Throws<ArgumentException>(() => new DirectorySink(_root).PathFor(ns, name));

    [Fact]
    public void ReadAll_round_trips_and_flags_managed_sidecars()
    {
        var sink = new DirectorySink(_root);
        var a = Sidecar("productpage", "default", "default/reviews.default.svc.cluster.local");
        var b = Sidecar("ratings", "shop");
        sink.Write(a);
        sink.Write(b);
        Directory.CreateDirectory(Path.Combine(_root, "other"));
        File.WriteAllText(Path.Combine(_root, "other", "hand.yml"), """
            apiVersion: networking.istio.io/v1
            kind: Sidecar
            metadata:
              name: default
              namespace: other
            spec:
              egress:
              - hosts: ["./*", "istio-system/*"]
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: ignored
            """);

        var read = sink.ReadAll(out var problems);

        Assert.Empty(problems);
        Assert.Equal(["default/lazymesh-productpage", "other/default", "shop/lazymesh-ratings"], read.Select(s => $"{s.Sidecar.Metadata.NamespaceProperty}/{s.Sidecar.Metadata.Name}"));
        Assert.Equal([true, false, true], read.Select(s => s.IsManaged));
        Assert.Equal(ResourceYaml.Serialize(a), ResourceYaml.Serialize(read[0].Sidecar));
        Assert.Equal(ResourceYaml.Serialize(b), ResourceYaml.Serialize(read[2].Sidecar));
        Assert.Equal(["./*", "istio-system/*"], read[1].Sidecar.Spec.Egress![0].Hosts);
        Assert.Equal(Path.Combine(_root, "other", "hand.yml"), read[1].Path);
    }

    [Fact]
    public void ReadAll_reports_unreadable_files_and_keeps_going()
    {
        var sink = new DirectorySink(_root);
        sink.Write(Sidecar());
        File.WriteAllText(Path.Combine(_root, "default", "broken.yaml"), "kind: Sidecar\nmetadata: [unclosed\n");
        File.WriteAllText(Path.Combine(_root, "default", "typed.yaml"), "apiVersion: networking.istio.io/v1\nkind: Sidecar\nmetadata:\n  name: t\n  labels:\n    n: 5\n");

        var read = sink.ReadAll(out var problems);

        Assert.Single(read);
        Assert.Equal(2, problems.Count);
        Assert.Contains(problems, p => p.Contains("broken.yaml", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("typed.yaml", StringComparison.Ordinal));
    }

    [Fact]
    public void Crash_leftovers_are_ignored_by_ReadAll_and_cleaned_on_start()
    {
        Directory.CreateDirectory(Path.Combine(_root, "default"));
        var leftover = Path.Combine(_root, "default", ".lazymesh-x.yaml.tmp-0123456789ab");
        File.WriteAllText(leftover, "apiVersion: networking.istio.io/v1\nkind: Sidecar\nmetadata:\n  name: half");

        var sink = new DirectorySink(_root);
        Assert.False(File.Exists(leftover));

        File.WriteAllText(leftover, "apiVersion: networking.istio.io/v1\nkind: Sidecar\nmetadata:\n  name: half");
        Assert.Empty(sink.ReadAll());
    }

    [Fact]
    public void Concurrent_writes_to_different_and_same_files_all_land_without_leftovers()
    {
        var sink = new DirectorySink(_root);
        var results = new ConcurrentBag<WriteResult>();

        Parallel.For(0, 200, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
            results.Add(sink.Write(Sidecar("w" + (i % 20), "ns" + (i % 20 % 3)))));

        var files = Directory.GetFiles(_root, "*", SearchOption.AllDirectories);
        Assert.DoesNotContain(files, f => AtomicFile.IsTemporaryFileName(Path.GetFileName(f)));
        Assert.Equal(20, files.Length);
        Assert.Equal(20, results.Count(r => r == WriteResult.Written));
        Assert.Equal(180, results.Count(r => r == WriteResult.Unchanged));
        foreach (var stored in sink.ReadAll())
        {
            Assert.Equal(ResourceYaml.SerializeToUtf8(stored.Sidecar), File.ReadAllBytes(stored.Path));
        }
    }

    [Fact]
    public async Task Readers_never_see_a_half_written_file()
    {
        var sink = new DirectorySink(_root);
        var workload = TestWorkloads.Create(name: "big");
        var small = SidecarRenderer.Render(workload, [], [], RenderOptions.Default);
        var large = SidecarRenderer.Render(
            workload,
            Enumerable.Range(0, 3000).Select(i => $"default/service-{i:D5}.default.svc.cluster.local"),
            [],
            RenderOptions.Default);
        byte[][] expected = [ResourceYaml.SerializeToUtf8(small), ResourceYaml.SerializeToUtf8(large)];
        sink.Write(small);
        var path = sink.PathFor("default", small.Metadata.Name);

        var writer = Task.Run(() =>
        {
            for (var i = 0; i < 60; i++)
            {
                Assert.Equal(WriteResult.Written, sink.Write(i % 2 == 0 ? large : small));
            }
        });

        var reads = 0;
        while (!writer.IsCompleted || reads == 0)
        {
            var bytes = File.ReadAllBytes(path);
            Assert.True(bytes.AsSpan().SequenceEqual(expected[0]) || bytes.AsSpan().SequenceEqual(expected[1]), $"torn read of {bytes.Length} bytes");
            reads++;
        }

        await writer;
        Assert.True(reads > 0);
    }

    [Fact]
    public void Writes_reject_sidecars_without_a_valid_name()
    {
        var sink = new DirectorySink(_root);
        var sidecar = Sidecar();
        sidecar.Metadata.Name = "../../etc/passwd";

        Assert.Throws<ArgumentException>(() => sink.Write(sidecar));
        Assert.Empty(Directory.GetFiles(_root, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public void Different_workload_kinds_with_one_name_get_separate_files()
    {
        var sink = new DirectorySink(_root);

        sink.Write(SidecarRenderer.Render(TestWorkloads.Create(name: "db"), [], [], RenderOptions.Default));
        sink.Write(SidecarRenderer.Render(TestWorkloads.Create(kind: WorkloadKind.StatefulSet, name: "db"), [], [], RenderOptions.Default));

        Assert.Equal(2, sink.ReadAll().Count);
    }
}
