using System.Text.Json;
using LazyMesh.Storage;

namespace LazyMesh.Learning;

/// <summary>
/// Durable learned state: a snapshot file (<c>edges.json</c>, replaced atomically) plus an append-only
/// journal (<c>edges.journal</c>, one JSON edge per line, fsynced before <see cref="Append"/> returns).
/// A new edge is appended before anything acts on it, so a killed process loses nothing it reported.
/// <para>
/// Like a write-ahead log, the journal ends at its last complete record: on open, a torn tail (a crash or a full
/// disk mid-append) is cut off and the cut fsynced before anything is appended, so the next record never lands on
/// a fragment. A failed append (ENOSPC, EIO) throws after cutting the file back to its last complete record, so
/// the caller keeps the edges and retries; if even that cut fails, the next append makes it first.
/// </para>
/// </summary>
public sealed class DependencyJournal : IDisposable
{
    private readonly string _snapshotPath;
    private readonly string _journalPath;
    private readonly IDurableFileSystem _files;
    private readonly Lock _gate = new();
    private Stream? _journal;

    /// <summary>Length of the journal's complete, fsynced records; nothing after it counts.</summary>
    private long _committedLength;

    /// <summary>The file may hold bytes after <see cref="_committedLength"/> (a failed append) that must be cut first.</summary>
    private bool _tailNeedsCut;

    private DependencyJournal(string directory, IDurableFileSystem files)
    {
        Directory.CreateDirectory(directory);
        _files = files;
        _snapshotPath = Path.Combine(directory, "edges.json");
        _journalPath = Path.Combine(directory, "edges.journal");
    }

    public string DirectoryPath => Path.GetDirectoryName(_snapshotPath)!;

    /// <summary>Length in bytes of the journal's complete records.</summary>
    public long CommittedLength
    {
        get
        {
            lock (_gate)
            {
                return _committedLength;
            }
        }
    }

    /// <summary>Opens (creating if needed) the state in <paramref name="directory"/> and restores it into <paramref name="store"/>.</summary>
    /// <exception cref="InvalidDataException">The snapshot is corrupt.</exception>
    /// <exception cref="IOException">The journal's torn tail could not be cut (the disk refused the repair).</exception>
    public static DependencyJournal Open(string directory, DependencyStore store, out JournalLoadResult loaded, IDurableFileSystem? files = null)
    {
        var journal = new DependencyJournal(directory, files ?? DurableFileSystem.Instance);
        try
        {
            loaded = journal.Load(store);
        }
        catch
        {
            journal.Dispose();
            throw;
        }

        return journal;
    }

    /// <summary>
    /// Appends edges and fsyncs. Safe to call from several threads. When this throws (disk full, I/O error) none of
    /// <paramref name="edges"/> counts as recorded: the caller keeps them and appends them again later.
    /// </summary>
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
            var journal = _journal ?? throw new ObjectDisposedException(nameof(DependencyJournal));
            CutTailIfNeeded(journal);
            try
            {
                _tailNeedsCut = true;
                journal.Position = _committedLength;
                journal.Write(buffer.GetBuffer(), 0, (int)buffer.Length);
                Flush(journal);
                _committedLength += buffer.Length;
                _tailNeedsCut = false;
            }
            catch (IOException)
            {
                // Best effort now; if this fails too, the next append (or the next open) cuts the tail first.
                TryCutTail(journal);
                throw;
            }
        }
    }

    /// <summary>
    /// Writes every edge of <paramref name="store"/> to a new snapshot (atomically and durably), then empties the
    /// journal. A failure leaves the previous snapshot and the journal as they were (both still complete).
    /// </summary>
    public void Compact(DependencyStore store)
    {
        lock (_gate)
        {
            var journal = _journal ?? throw new ObjectDisposedException(nameof(DependencyJournal));

            // The store is read under the journal's lock: an edge whose Append finished before this point
            // was learned before it, so it is in the snapshot; a later Append goes to the emptied journal.
            var edges = new List<PersistedEdge>();
            foreach (var workload in store.Snapshot())
            {
                foreach (var host in workload.Snapshot())
                {
                    edges.Add(new PersistedEdge(workload.WorkloadKey, host.Host, host.FirstSeenUnixMs, host.LastSeenUnixMs));
                }
            }

            var bytes = JsonSerializer.SerializeToUtf8Bytes(edges, PersistedEdgeJson.Default.ListPersistedEdge);
            _files.ReplaceAtomically(_snapshotPath, bytes);

            // The snapshot holds everything; a journal that is not emptied only replays duplicates.
            _tailNeedsCut = true;
            _committedLength = 0;
            CutTailIfNeeded(journal);
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _journal?.Dispose();
            _journal = null;
        }
    }

    private static void Flush(Stream stream)
    {
        if (stream is FileStream file)
        {
            file.Flush(flushToDisk: true);
        }
        else
        {
            stream.Flush();
        }
    }

    private void CutTailIfNeeded(Stream journal)
    {
        if (_tailNeedsCut)
        {
            journal.SetLength(_committedLength);
            Flush(journal);
            _tailNeedsCut = false;
        }
    }

    private void TryCutTail(Stream journal)
    {
        try
        {
            CutTailIfNeeded(journal);
        }
        catch (IOException)
        {
        }
    }

    private JournalLoadResult Load(DependencyStore store)
    {
        var restored = 0;
        var problems = new List<string>();
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

        var journal = _files.OpenReadWrite(_journalPath);
        _journal = journal;
        var content = new byte[journal.Length];
        journal.Position = 0;
        journal.ReadExactly(content);

        var scan = JournalScan.Scan(content, _journalPath);
        foreach (var edge in scan.Edges)
        {
            store.Restore(edge.Workload, edge.Host, edge.FirstSeenUnixMs, edge.LastSeenUnixMs);
            restored++;
        }

        problems.AddRange(scan.Problems);
        _committedLength = scan.CompleteLength;
        if (scan.CompleteLength < content.Length)
        {
            // Repaired before anything is appended: the next record starts on a clean line.
            _tailNeedsCut = true;
            CutTailIfNeeded(journal);
            problems.Add($"{_journalPath}: torn tail of {content.Length - scan.CompleteLength} bytes after offset {scan.CompleteLength} cut off (a crash or a full disk mid-append)");
        }

        return new JournalLoadResult(restored, problems, content.Length - scan.CompleteLength);
    }
}
