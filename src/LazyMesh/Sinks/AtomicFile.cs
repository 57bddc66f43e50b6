using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace LazyMesh.Sinks;

/// <summary>
/// Whole-file replacement that never exposes a partial file under the final name: the bytes go to a temporary
/// sibling <c>.&lt;file&gt;.tmp-&lt;random&gt;</c>, which is flushed to disk and renamed over the target; the directory
/// is then synced so that the rename itself survives a crash.
/// </summary>
public static class AtomicFile
{
    /// <summary>Marker between the file name and the random suffix of a temporary file.</summary>
    public const string TemporaryMarker = ".tmp-";

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
            _ = SyncDirectory(directory);
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

    /// <summary>Deletes temporary files a crash left in <paramref name="directory"/> (and below it); returns how many.</summary>
    public static int DeleteTemporaryFiles(string directory, bool recursive)
    {
        if (!Directory.Exists(directory))
        {
            return 0;
        }

        var deleted = 0;
        var option = recursive ? SearchOption.AllDirectories : SearchOption.TopDirectoryOnly;
        foreach (var file in Directory.EnumerateFiles(directory, "." + "*" + TemporaryMarker + "*", option))
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
    internal static bool SyncDirectory(string directory)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS() && !OperatingSystem.IsFreeBSD())
        {
            return false;
        }

        try
        {
            var fd = Open(directory, 0 /* O_RDONLY */);
            if (fd < 0)
            {
                return false;
            }

            var synced = Fsync(fd) == 0;
            _ = Close(fd);
            return synced;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    private static extern int Open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    [DllImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static extern int Fsync(int fd);

    [DllImport("libc", EntryPoint = "close", SetLastError = true)]
    private static extern int Close(int fd);
}
