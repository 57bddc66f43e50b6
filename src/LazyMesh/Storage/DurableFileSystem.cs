namespace LazyMesh.Storage;

/// <summary>The real <see cref="IDurableFileSystem"/>: <see cref="FileStream"/> and <see cref="AtomicFile"/>.</summary>
public sealed class DurableFileSystem : IDurableFileSystem
{
    public static DurableFileSystem Instance { get; } = new();

    private DurableFileSystem()
    {
    }

    public Stream OpenReadWrite(string path)
    {
        var created = !File.Exists(path);
        var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read, bufferSize: 1, FileOptions.None);
        if (created)
        {
            AtomicFile.SyncDirectoryOrThrow(Path.GetDirectoryName(Path.GetFullPath(path))!);
        }

        return stream;
    }

    public void ReplaceAtomically(string path, ReadOnlySpan<byte> bytes) => AtomicFile.WriteAllBytes(path, bytes, durable: true);
}
