using LazyMesh.Learning;

namespace LazyMesh.Tests.Learning;

public sealed class DependencyJournalTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "lazymesh-journal-" + Guid.NewGuid().ToString("N"));

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Appended_edges_survive_reopen_without_compaction()
    {
        using (var journal = DependencyJournal.Open(_dir, new DependencyStore(), out var first))
        {
            Assert.Equal(0, first.EdgesRestored);
            journal.Append([new PersistedEdge("ns/Deployment/a", "ns/b.ns.svc.cluster.local", 10, 20)]);
            journal.Append([new PersistedEdge("ns/Deployment/a", "ns/c.ns.svc.cluster.local", 30, 30)]);
        }

        var store = new DependencyStore();
        using var reopened = DependencyJournal.Open(_dir, store, out var loaded);
        Assert.Equal(2, loaded.EdgesRestored);
        Assert.Equal(["ns/b.ns.svc.cluster.local", "ns/c.ns.svc.cluster.local"], store.Find("ns/Deployment/a")!.Snapshot().Select(h => h.Host));
    }

    [Fact]
    public void Compaction_keeps_last_seen_and_empties_the_journal()
    {
        var store = new DependencyStore();
        using (var journal = DependencyJournal.Open(_dir, store, out _))
        {
            store.Learn("w", "ns/x", 100);
            journal.Append([new PersistedEdge("w", "ns/x", 100, 100)]);
            store.Learn("w", "ns/x", 900);
            journal.Compact(store);
            Assert.Equal(0, new FileInfo(Path.Combine(_dir, "edges.journal")).Length);
        }

        var restored = new DependencyStore();
        using var reopened = DependencyJournal.Open(_dir, restored, out _);
        var host = Assert.Single(restored.Find("w")!.Snapshot());
        Assert.Equal(100, host.FirstSeenUnixMs);
        Assert.Equal(900, host.LastSeenUnixMs);
    }

    [Fact]
    public void A_torn_last_line_is_skipped_and_reported()
    {
        using (var journal = DependencyJournal.Open(_dir, new DependencyStore(), out _))
        {
            journal.Append([new PersistedEdge("w", "ns/x", 1, 1)]);
        }

        File.AppendAllText(Path.Combine(_dir, "edges.journal"), "{\"w\":\"w\",\"h\":\"ns/");
        var store = new DependencyStore();
        using var reopened = DependencyJournal.Open(_dir, store, out var loaded);
        Assert.Equal(1, loaded.EdgesRestored);
        Assert.Contains(loaded.Problems, p => p.Contains("edges.journal:2"));
        Assert.Equal(1, store.EdgeCount);
    }

    [Fact]
    public void A_corrupt_snapshot_is_an_error_naming_the_file()
    {
        Directory.CreateDirectory(_dir);
        File.WriteAllText(Path.Combine(_dir, "edges.json"), "[{not json");
        var ex = Assert.Throws<InvalidDataException>(() => DependencyJournal.Open(_dir, new DependencyStore(), out _));
        Assert.Contains("edges.json", ex.Message);
    }
}
