using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace LazyMesh.Storage;

/// <summary>
/// Whole-file replacement that never exposes a partial file under the final name: the bytes go to a temporary
/// sibling <c>.&lt;file&gt;.tmp-&lt;random&gt;</c>, which is flushed to disk and renamed over the target; the directory
/// is then synced so that the rename itself survives a crash.
/// </summary>
public static class AtomicFile
{
    /// <summary>Marker between the file name and the random suffix of a temporary file.</summary>
    public const string TemporaryMarker = ".tmp-";

    private const int Eperm = 1;
    private const int Eacces = 13;
    private const int Einval = 22;
    private const int Enotsup = 95;
    private const int Eopnotsupp = 45;

    /// <summary>
    /// Atomically replaces (or creates) <paramref name="path"/> with <paramref name="bytes"/>; creates the directory.
    /// Readers see the old bytes or the new, never a mix. With <paramref name="durable"/> the file and the rename
    /// are also fsynced before this returns; without, they reach the disk when the OS flushes (for files that are
    /// derived from durable state elsewhere and rebuilt after a crash).
    /// </summary>
    public static void WriteAllBytes(string path, ReadOnlySpan<byte> bytes, bool durable = true)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var fullPath = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(fullPath)
            ?? throw new ArgumentException($"\"{path}\" has no parent directory.", nameof(path));
        Directory.CreateDirectory(directory);

        var temporary = TemporaryPathFor(fullPath);
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1))
            {
                stream.Write(bytes);
                stream.Flush(flushToDisk: durable);
            }

            File.Move(temporary, fullPath, overwrite: true);
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }

        if (durable)
        {
            SyncDirectoryOrThrow(directory);
        }
    }

    /// <summary>A fresh temporary sibling name for <paramref name="path"/>: <c>.&lt;file name&gt;.tmp-&lt;12 hex&gt;</c>.</summary>
    public static string TemporaryPathFor(string path)
    {
        var directory = Path.GetDirectoryName(path) ?? string.Empty;
        var random = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        return Path.Combine(directory, "." + Path.GetFileName(path) + TemporaryMarker + random);
    }

    /// <summary>True for names <see cref="TemporaryPathFor"/> produces.</summary>
    public static bool IsTemporaryFileName(string fileName) =>
        fileName.StartsWith('.') && fileName.Contains(TemporaryMarker, StringComparison.Ordinal);

    /// <summary>
    /// Deletes temporary files a crash left in <paramref name="directory"/> (and below it); returns how many. Never
    /// follows a symbolic link: a linked directory is not entered (it may lead outside <paramref name="directory"/>),
    /// and a link named like a temporary file is not ours either, so it is left alone.
    /// </summary>
    public static int DeleteTemporaryFiles(string directory, bool recursive)
    {
        if (!Directory.Exists(directory))
        {
            return 0;
        }

        var deleted = 0;
        var options = new EnumerationOptions
        {
            RecurseSubdirectories = recursive,
            AttributesToSkip = FileAttributes.ReparsePoint,
            IgnoreInaccessible = true,
            MatchType = MatchType.Simple,
        };
        foreach (var file in Directory.EnumerateFiles(directory, "." + "*" + TemporaryMarker + "*", options))
        {
            if (IsTemporaryFileName(Path.GetFileName(file)) && TryDelete(file))
            {
                deleted++;
            }
        }

        return deleted;
    }

    private static bool TryDelete(string path)
    {
        try
        {
            File.Delete(path);
            return true;
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>fsync(2) on the directory so a completed rename is durable. Best effort; Unix only; true when synced.</summary>
    internal static bool SyncDirectory(string directory) => SyncDirectoryErrno(directory) == 0;

    /// <summary>
    /// fsync(2) on the directory; throws <see cref="IOException"/> when the disk reports an error (EIO, ENOSPC...), so
    /// that a rename that may not survive a crash is not reported as durable. A file system or platform that cannot
    /// sync directories at all (EINVAL, ENOTSUP, not Unix) is accepted, as every database does.
    /// </summary>
    internal static void SyncDirectoryOrThrow(string directory)
    {
        var errno = SyncDirectoryErrno(directory);
        if (errno is > 0 and not (Einval or Enotsup or Eopnotsupp or Eacces or Eperm))
        {
            throw new IOException($"fsync of directory {directory} failed (errno {errno})", errno);
        }
    }

    /// <summary>0 when synced, the errno when the sync failed, -1 when the platform cannot sync directories.</summary>
    private static int SyncDirectoryErrno(string directory)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS() && !OperatingSystem.IsFreeBSD())
        {
            return -1;
        }

        try
        {
            var fd = Open(directory, 0 /* O_RDONLY */);
            if (fd < 0)
            {
                return Marshal.GetLastPInvokeError();
            }

            var result = Fsync(fd) == 0 ? 0 : Marshal.GetLastPInvokeError();
            _ = Close(fd);
            return result;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return -1;
        }
    }

    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    private static extern int Open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    [DllImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static extern int Fsync(int fd);

    [DllImport("libc", EntryPoint = "close", SetLastError = true)]
    private static extern int Close(int fd);
}
