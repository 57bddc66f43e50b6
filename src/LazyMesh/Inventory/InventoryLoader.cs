using System.IO.MemoryMappedFiles;
using System.Text;

namespace LazyMesh.Inventory;

/// <summary>
/// Reads Kubernetes and Istio objects in every shape <c>kubectl get -o yaml|json</c> produces (single objects,
/// multi-document YAML, <c>kind: List</c> and typed lists, JSON, concatenated JSON) from files, directories
/// and standard input.
/// </summary>
public static class InventoryLoader
{
    /// <summary>The path that means standard input.</summary>
    public const string StdinPath = "-";

    /// <summary>
    /// Loads files, directories (recursively: <c>*.yaml</c>, <c>*.yml</c>, <c>*.json</c>, in ordinal path order,
    /// skipping entries whose name starts with <c>.</c> such as a mounted ConfigMap's <c>..data</c>) and
    /// <c>-</c> (read from <paramref name="stdin"/>, or <see cref="Console.In"/> when null).
    /// </summary>
    /// <exception cref="InventoryException">A path is missing or unreadable, or an object is invalid or duplicated.</exception>
    public static InventorySnapshot Load(IEnumerable<string> paths, TextReader? stdin = null)
    {
        var builder = new InventorySnapshotBuilder();
        foreach (var path in paths)
        {
            if (path == StdinPath)
            {
                AddText(builder, (stdin ?? Console.In).ReadToEnd(), StdinPath);
            }
            else if (Directory.Exists(path))
            {
                foreach (var file in EnumerateDirectory(path))
                {
                    AddFile(builder, file);
                }
            }
            else
            {
                AddFile(builder, path);
            }
        }

        return builder.Build();
    }

    /// <summary>Loads YAML or JSON (detected from the first character) from a reader; errors name <paramref name="name"/>.</summary>
    public static InventorySnapshot Load(TextReader reader, string name = StdinPath)
    {
        var builder = new InventorySnapshotBuilder();
        AddText(builder, reader.ReadToEnd(), name);
        return builder.Build();
    }

    /// <summary>Loads YAML or JSON text; errors name <paramref name="name"/>.</summary>
    public static InventorySnapshot LoadText(string text, string name = "<inline>")
    {
        var builder = new InventorySnapshotBuilder();
        AddText(builder, text, name);
        return builder.Build();
    }

    private static IEnumerable<string> EnumerateDirectory(string directory)
    {
        var entries = new List<string>();
        var pending = new Stack<string>();
        pending.Push(directory);
        while (pending.TryPop(out var current))
        {
            foreach (var entry in Directory.EnumerateFileSystemEntries(current))
            {
                var name = Path.GetFileName(entry);
                if (name.StartsWith('.'))
                {
                    continue;
                }

                if (Directory.Exists(entry))
                {
                    pending.Push(entry);
                }
                else if (IsInventoryFile(name))
                {
                    entries.Add(entry);
                }
            }
        }

        entries.Sort(StringComparer.Ordinal);
        return entries;
    }

    private static bool IsInventoryFile(string name) =>
        name.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) ||
        name.EndsWith(".yml", StringComparison.OrdinalIgnoreCase) ||
        name.EndsWith(".json", StringComparison.OrdinalIgnoreCase);

    private static void AddFile(InventorySnapshotBuilder builder, string path)
    {
        try
        {
            if (!File.Exists(path))
            {
                throw new InventoryException(path, 0, "no such file or directory");
            }

            if (path.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
            {
                AddJsonFile(builder, path);
            }
            else if (path.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".yml", StringComparison.OrdinalIgnoreCase))
            {
                using var reader = new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
                AddDocuments(builder, YamlDocumentReader.Read(reader, path, skipOverLimitDocuments: true), path);
            }
            else
            {
                AddText(builder, File.ReadAllText(path), path);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new InventoryException(path, 0, "cannot read: " + ex.Message, ex);
        }
    }

    /// <summary>
    /// A JSON file is mapped into memory rather than read onto the heap, its list items are handed to the builder one at
    /// a time (items of skipped kinds are never built), and the pages read are handed back as the reader passes them: a
    /// 200 MB list of skipped kinds costs a few MB, not a 200 MB array plus a tree.
    /// </summary>
    private static unsafe void AddJsonFile(InventorySnapshotBuilder builder, string path)
    {
        var length = new FileInfo(path).Length;
        if (length == 0)
        {
            return;
        }

        if (length > int.MaxValue)
        {
            throw new InventoryException(path, 0, $"{length} bytes is larger than a JSON inventory file may be ({int.MaxValue}); split it");
        }

        using var map = MemoryMappedFile.CreateFromFile(path, FileMode.Open, mapName: null, 0, MemoryMappedFileAccess.Read);
        using var view = map.CreateViewAccessor(0, length, MemoryMappedFileAccess.Read);
        byte* pointer = null;
        view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
        try
        {
            var bytes = new ReadOnlySpan<byte>(pointer + view.PointerOffset, (int)length);
            var release = new MappedPageRelease(pointer, view.PointerOffset);
            JsonDocumentReader.Read(bytes, path, d => builder.AddDocument(d, path), builder.TrySkipUnbuilt, release.ReleaseBefore);
        }
        finally
        {
            view.SafeMemoryMappedViewHandle.ReleasePointer();
        }
    }

    private static void AddText(InventorySnapshotBuilder builder, string text, string name)
    {
        var first = text.AsSpan().TrimStart().TrimStart('\uFEFF');
        if (first.Length > 0 && first[0] is '{' or '[')
        {
            JsonDocumentReader.Read(Encoding.UTF8.GetBytes(text), name, d => builder.AddDocument(d, name), builder.TrySkipUnbuilt);
        }
        else
        {
            AddDocuments(builder, YamlDocumentReader.Read(new StringReader(text), name, skipOverLimitDocuments: true), name);
        }
    }

    private static void AddDocuments(InventorySnapshotBuilder builder, IEnumerable<SourceDocument> documents, string name)
    {
        foreach (var document in documents)
        {
            builder.AddDocument(document, name);
        }
    }
}
