using LazyMesh.Learning;
using LazyMesh.Tests.Support;

namespace LazyMesh.Tests.Learning;

public sealed class DependencyJournalTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "lazymesh-journal-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

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
    public void A_torn_tail_is_cut_on_open_so_the_next_record_survives_the_following_restart()
    {
        using (var journal = DependencyJournal.Open(_dir, new DependencyStore(), out _))
        {
            journal.Append([new PersistedEdge("w", "ns/x", 1, 1)]);
        }

        var journalPath = Path.Combine(_dir, "edges.journal");
        var complete = new FileInfo(journalPath).Length;
        File.AppendAllText(journalPath, "{\"w\":\"w\",\"h\":\"ns/");
        using (var reopened = DependencyJournal.Open(_dir, new DependencyStore(), out var loaded))
        {
            Assert.Equal(1, loaded.EdgesRestored);
            Assert.Equal(17, loaded.TornBytesCut);
            Assert.Contains(loaded.Problems, p => p.Contains("torn tail of 17 bytes", StringComparison.Ordinal));

            // Repaired before anything is appended (on the old code the next record was glued onto the fragment).
            Assert.Equal(complete, new FileInfo(journalPath).Length);
            reopened.Append([new PersistedEdge("w", "ns/y", 2, 2)]);
        }

        var store = new DependencyStore();
        using var third = DependencyJournal.Open(_dir, store, out var again);
        Assert.Equal(2, again.EdgesRestored);
        Assert.Empty(again.Problems);
        Assert.Equal(["ns/x", "ns/y"], store.Find("w")!.Snapshot().Select(h => h.Host));
    }

    [Fact]
    public void Unreadable_lines_at_the_end_are_a_torn_tail_and_in_the_middle_are_skipped_and_named()
    {
        Directory.CreateDirectory(_dir);
        var journalPath = Path.Combine(_dir, "edges.journal");
        File.WriteAllText(journalPath, "{\"w\":\"w\",\"h\":\"ns/a\",\"f\":1,\"l\":1}\nnot json\n{\"w\":\"w\",\"h\":\"ns/b\",\"f\":1,\"l\":1}\n\0\0\0\n\0\0");
        var store = new DependencyStore();
        using var journal = DependencyJournal.Open(_dir, store, out var loaded);
        Assert.Equal(2, loaded.EdgesRestored);
        Assert.Contains(loaded.Problems, p => p.EndsWith("edges.journal:2: unreadable journal line skipped", StringComparison.Ordinal));
        Assert.Equal(6, loaded.TornBytesCut);
        Assert.EndsWith("\"ns/b\",\"f\":1,\"l\":1}\n", File.ReadAllText(journalPath), StringComparison.Ordinal);
    }

    [Fact]
    public void A_write_that_fills_the_disk_half_way_throws_and_leaves_only_complete_records()
    {
        var faults = new FaultInjectingFileSystem();
        using (var journal = DependencyJournal.Open(_dir, new DependencyStore(), out _, faults))
        {
            journal.Append([new PersistedEdge("w", "ns/a", 1, 1)]);
            faults.FailWrites = true;
            var error = Assert.Throws<IOException>(() => journal.Append([new PersistedEdge("w", "ns/b", 2, 2)]));
            Assert.Equal(FaultInjectingFileSystem.Enospc, error.HResult);

            // The half record was cut at once; the caller keeps the edge and appends it again when there is room.
            Assert.Equal(journal.CommittedLength, new FileInfo(Path.Combine(_dir, "edges.journal")).Length);
            faults.FailWrites = false;
            journal.Append([new PersistedEdge("w", "ns/b", 2, 2)]);
        }

        var store = new DependencyStore();
        using var reopened = DependencyJournal.Open(_dir, store, out var loaded);
        Assert.Empty(loaded.Problems);
        Assert.Equal(["ns/a", "ns/b"], store.Find("w")!.Snapshot().Select(h => h.Host));
    }

    [Fact]
    public void An_fsync_error_throws_and_a_failed_cut_is_made_before_the_next_append()
    {
        var faults = new FaultInjectingFileSystem();
        using (var journal = DependencyJournal.Open(_dir, new DependencyStore(), out _, faults))
        {
            journal.Append([new PersistedEdge("w", "ns/a", 1, 1)]);
            var committed = journal.CommittedLength;
            faults.FailSyncs = true;
            faults.FailTruncation = true;
            var error = Assert.Throws<IOException>(() => journal.Append([new PersistedEdge("w", "ns/b", 2, 2)]));
            Assert.Equal(FaultInjectingFileSystem.Eio, error.HResult);

            // EIO on fsync: the bytes may or may not be on disk, so they do not count; the cut failed too.
            Assert.Equal(committed, journal.CommittedLength);
            Assert.True(new FileInfo(Path.Combine(_dir, "edges.journal")).Length > committed);

            faults.FailSyncs = false;
            faults.FailTruncation = false;
            journal.Append([new PersistedEdge("w", "ns/c", 3, 3)]);
        }

        var store = new DependencyStore();
        using var reopened = DependencyJournal.Open(_dir, store, out var loaded);
        Assert.Empty(loaded.Problems);
        Assert.Equal(["ns/a", "ns/c"], store.Find("w")!.Snapshot().Select(h => h.Host));
    }

    [Fact]
    public void A_failed_snapshot_keeps_the_journal_whole()
    {
        var faults = new FaultInjectingFileSystem();
        var store = new DependencyStore();
        using (var journal = DependencyJournal.Open(_dir, store, out _, faults))
        {
            store.Learn("w", "ns/a", 1);
            journal.Append([new PersistedEdge("w", "ns/a", 1, 1)]);
            faults.FailReplace = true;
            Assert.Throws<IOException>(() => journal.Compact(store));
            Assert.False(File.Exists(Path.Combine(_dir, "edges.json")));
            journal.Append([new PersistedEdge("w", "ns/b", 2, 2)]);
        }

        var restored = new DependencyStore();
        using var reopened = DependencyJournal.Open(_dir, restored, out var loaded);
        Assert.Equal(2, loaded.EdgesRestored);
        Assert.Empty(loaded.Problems);
    }

    [Fact]
    public void A_store_that_records_before_showing_hides_new_hosts_until_marked()
    {
        var store = new DependencyStore(recordBeforeShowing: true);
        store.Learn("w", "ns/a", 1);
        Assert.Empty(store.Find("w")!.Snapshot());
        store.MarkRecorded("w", "ns/a");
        Assert.Equal(["ns/a"], store.Find("w")!.Snapshot().Select(h => h.Host));
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
