using LazyMesh.Sinks;
using LazyMesh.Storage;

namespace LazyMesh.Tests.Support;

/// <summary>
/// The real durable file system with failures injected on demand: a write that stops half-way and reports ENOSPC,
/// an fsync that reports EIO, a truncation or an atomic replace that fails. Each switch stays on until cleared.
/// </summary>
public sealed class FaultInjectingFileSystem : IDurableFileSystem
{
    public const int Enospc = 28;
    public const int Eio = 5;

    /// <summary>Writes store half their bytes, then throw ENOSPC (a disk that filled up mid-write).</summary>
    public bool FailWrites { get; set; }

    /// <summary>fsync throws EIO after the bytes reached the file (the disk reported an I/O error).</summary>
    public bool FailSyncs { get; set; }

    /// <summary>Truncation (SetLength) throws EIO.</summary>
    public bool FailTruncation { get; set; }

    /// <summary>Atomic replacement (the snapshot) throws ENOSPC before touching the target.</summary>
    public bool FailReplace { get; set; }

    public int FailuresInjected { get; private set; }

    public Stream OpenReadWrite(string path) => new FaultyStream((FileStream)DurableFileSystem.Instance.OpenReadWrite(path), this);

    public void ReplaceAtomically(string path, ReadOnlySpan<byte> bytes)
    {
        if (FailReplace)
        {
            FailuresInjected++;
            throw new IOException("No space left on device (injected)", Enospc);
        }

        DurableFileSystem.Instance.ReplaceAtomically(path, bytes);
    }

    private sealed class FaultyStream(FileStream inner, FaultInjectingFileSystem faults) : Stream
    {
        public override bool CanRead => inner.CanRead;

        public override bool CanSeek => inner.CanSeek;

        public override bool CanWrite => inner.CanWrite;

        public override long Length => inner.Length;

        public override long Position { get => inner.Position; set => inner.Position = value; }

        public override void Flush()
        {
            inner.Flush(flushToDisk: true);
            if (faults.FailSyncs)
            {
                faults.FailuresInjected++;
                throw new IOException("Input/output error (injected)", Eio);
            }
        }

        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

        public override long Seek(long offset, SeekOrigin origin) => inner.Seek(offset, origin);

        public override void SetLength(long value)
        {
            if (faults.FailTruncation)
            {
                faults.FailuresInjected++;
                throw new IOException("Input/output error (injected)", Eio);
            }

            inner.SetLength(value);
        }

        public override void Write(byte[] buffer, int offset, int count)
        {
            if (faults.FailWrites)
            {
                inner.Write(buffer, offset, count / 2);
                inner.Flush(flushToDisk: true);
                faults.FailuresInjected++;
                throw new IOException("No space left on device (injected)", Enospc);
            }

            inner.Write(buffer, offset, count);
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
