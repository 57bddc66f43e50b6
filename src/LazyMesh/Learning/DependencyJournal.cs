using System.Text;
using System.Text.Json;
using LazyMesh.Sinks;

namespace LazyMesh.Learning;

/// <summary>
/// Durable learned state: a snapshot file (<c>edges.json</c>, replaced atomically) plus an append-only
/// journal (<c>edges.journal</c>, one JSON edge per line, fsynced before <see cref="Append"/> returns).
/// A new edge is appended before anything acts on it, so a killed process loses nothing it reported.
/// A torn last line (a crash mid-append) is skipped on load and reported.
/// </summary>
public sealed class DependencyJournal : IDisposable
{
    private readonly string _snapshotPath;
    private readonly string _journalPath;
    private readonly Lock _gate = new();
    private FileStream _journal;

    private DependencyJournal(string directory)
    {
        Directory.CreateDirectory(directory);
        _snapshotPath = Path.Combine(directory, "edges.json");
        _journalPath = Path.Combine(directory, "edges.journal");
        _journal = OpenJournal();
    }

    public string DirectoryPath => Path.GetDirectoryName(_snapshotPath)!;

    /// <summary>Opens (creating if needed) the state in <paramref name="directory"/> and restores it into <paramref name="store"/>.</summary>
    public static DependencyJournal Open(string directory, DependencyStore store, out JournalLoadResult loaded)
    {
        var journal = new DependencyJournal(directory);
        loaded = journal.Load(store);
        return journal;
    }

    /// <summary>Appends edges and fsyncs. Safe to call from several threads.</summary>
    public void Append(IReadOnlyCollection<PersistedEdge> edges)
    {
        if (edges.Count == 0)
        {
            return;
        }

        var buffer = new MemoryStream();
        foreach (var edge in edges)
        {
            JsonSerializer.Serialize(buffer, edge, PersistedEdgeJson.Default.PersistedEdge);
            buffer.WriteByte((byte)'\n');
        }

        lock (_gate)
        {
            _journal.Write(buffer.GetBuffer(), 0, (int)buffer.Length);
            _journal.Flush(flushToDisk: true);
        }
    }

    /// <summary>Writes every edge of <paramref name="store"/> to a new snapshot (atomically), then empties the journal.</summary>
    public void Compact(DependencyStore store)
    {
        lock (_gate)
        {
            // The store is read under the journal's lock: an edge whose Append finished before this point
            // was learned before it, so it is in the snapshot; a later Append goes to the new journal.
            var edges = new List<PersistedEdge>();
            foreach (var workload in store.Snapshot())
            {
                foreach (var host in workload.Snapshot())
                {
                    edges.Add(new PersistedEdge(workload.WorkloadKey, host.Host, host.FirstSeenUnixMs, host.LastSeenUnixMs));
                }
            }

            var bytes = JsonSerializer.SerializeToUtf8Bytes(edges, PersistedEdgeJson.Default.ListPersistedEdge);
            AtomicFile.WriteAllBytes(_snapshotPath, bytes);
            _journal.Dispose();
            File.WriteAllBytes(_journalPath, []);
            _journal = OpenJournal();
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _journal.Dispose();
        }
    }

    private JournalLoadResult Load(DependencyStore store)
    {
        var restored = 0;
        var torn = new List<string>();
        if (File.Exists(_snapshotPath))
        {
            try
            {
                var edges = JsonSerializer.Deserialize(File.ReadAllBytes(_snapshotPath), PersistedEdgeJson.Default.ListPersistedEdge) ?? [];
                foreach (var e in edges)
                {
                    store.Restore(e.Workload, e.Host, e.FirstSeenUnixMs, e.LastSeenUnixMs);
                    restored++;
                }
            }
            catch (JsonException ex)
            {
                throw new InvalidDataException($"learned-state snapshot {_snapshotPath} is corrupt: {ex.Message}", ex);
            }
        }

        if (File.Exists(_journalPath))
        {
            var lineNumber = 0;
            foreach (var line in File.ReadLines(_journalPath, Encoding.UTF8))
            {
                lineNumber++;
                if (line.Length == 0)
                {
                    continue;
                }

                PersistedEdge? edge = null;
                try
                {
                    edge = JsonSerializer.Deserialize(line, PersistedEdgeJson.Default.PersistedEdge);
                }
                catch (JsonException)
                {
                }

                if (edge is null || string.IsNullOrEmpty(edge.Workload) || string.IsNullOrEmpty(edge.Host))
                {
                    torn.Add($"{_journalPath}:{lineNumber}: unreadable journal line skipped");
                    continue;
                }

                store.Restore(edge.Workload, edge.Host, edge.FirstSeenUnixMs, edge.LastSeenUnixMs);
                restored++;
            }
        }

        return new JournalLoadResult(restored, torn);
    }

    private FileStream OpenJournal() =>
        new(_journalPath, FileMode.Append, FileAccess.Write, FileShare.Read, bufferSize: 1, FileOptions.None);
}
