namespace LazyMesh.Storage;

/// <summary>
/// The file-system operations durable state goes through (the journal and its snapshot): a seam so that tests can
/// inject the failures a disk produces (ENOSPC, EIO) at each step. <see cref="DurableFileSystem.Instance"/> is the
/// real one.
/// </summary>
public interface IDurableFileSystem
{
    /// <summary>
    /// Opens <paramref name="path"/> for reading and writing at any offset, creating it (and syncing its directory,
    /// so the new entry survives a crash) when absent. The caller makes writes durable with
    /// <see cref="FileStream.Flush(bool)"/> (<c>true</c>), which the returned stream must honour.
    /// </summary>
    Stream OpenReadWrite(string path);

    /// <summary>Atomically and durably replaces <paramref name="path"/> (file fsynced, renamed, directory fsynced).</summary>
    void ReplaceAtomically(string path, ReadOnlySpan<byte> bytes);
}
