using System.Text;
using System.Text.Json;
using k8s;
using k8s.Models;
using LazyMesh.Inventory;
using LazyMesh.Istio;
using LazyMesh.Rendering;
using LazyMesh.Storage;
using YamlDotNet.Core;

namespace LazyMesh.Sinks;

/// <summary>
/// Sidecars as YAML files <c>root/&lt;namespace&gt;/&lt;name&gt;.yaml</c> (GitOps and offline use). Writes are atomic
/// (<see cref="AtomicFile"/>) and skipped when the file already holds the same bytes. Safe for concurrent use:
/// writes to different files run in parallel, writes to the same file are serialised.
/// </summary>
public sealed class DirectorySink
{
    public const string Extension = ".yaml";

    private const int LockStripes = 64;

    private readonly Lock[] _locks = [.. Enumerable.Range(0, LockStripes).Select(_ => new Lock())];

    /// <summary>Creates <paramref name="root"/> if needed and removes temporary files a crash left behind.</summary>
    /// <param name="durable">
    /// fsync every write (the default). The controller turns it off: its journal is the durable record and a
    /// restart rewrites every Sidecar from it, so its files only need atomic replacement, not a disk sync each.
    /// </param>
    public DirectorySink(string root, bool durable = true)
    {
        Durable = durable;
        ArgumentException.ThrowIfNullOrEmpty(root);
        Root = Path.GetFullPath(root);
        Directory.CreateDirectory(Root);
        AtomicFile.DeleteTemporaryFiles(Root, recursive: true);
    }

    public string Root { get; }

    public bool Durable { get; }

    /// <summary>
    /// The file an object lives in: <c>ns/name.yaml</c> for a Sidecar whose name has no dot, <c>ns/name.kind.yaml</c>
    /// (kind in lower case) for any other object, dotted Sidecars included. The mapping is one-to-one: a file name
    /// without a dot before <c>.yaml</c> is a Sidecar, otherwise its last dotted part is the kind. (Without the rule
    /// for dotted Sidecars, the Sidecar of a Deployment named <c>fallback.envoyfilter</c> and the namespace's
    /// EnvoyFilter <c>lazymesh-fallback</c> shared <c>lazymesh-fallback.envoyfilter.yaml</c>.)
    /// </summary>
    /// <exception cref="ArgumentException">The namespace is not a DNS-1123 label or the name not a DNS-1123 subdomain.</exception>
    public string PathFor(string @namespace, string name, string kind = SidecarResource.ResourceKind)
    {
        if (string.IsNullOrEmpty(@namespace) || !KubernetesNames.IsDns1123Label(@namespace))
        {
            throw new ArgumentException($"Namespace \"{@namespace}\" is not a DNS-1123 label.", nameof(@namespace));
        }

        if (string.IsNullOrEmpty(name) || !KubernetesNames.IsDns1123Subdomain(name))
        {
            throw new ArgumentException($"Name \"{name}\" is not a DNS-1123 subdomain.", nameof(name));
        }

        var suffix = kind == SidecarResource.ResourceKind && !name.Contains('.', StringComparison.Ordinal)
            ? Extension
            : "." + kind.ToLowerInvariant() + Extension;
        return Path.Combine(Root, @namespace, name + suffix);
    }

    /// <summary>
    /// Writes the object's YAML unless the file already holds exactly those bytes. An existing file is replaced only
    /// when it holds this very object (kind, namespace, name) with LazyMesh's managed-by label; anything else at the
    /// path is a user's file and is left alone (<see cref="WriteResult.NotOurs"/>).
    /// </summary>
    public WriteResult Write(IKubernetesObject<V1ObjectMeta> resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        var path = PathFor(resource.Metadata.NamespaceProperty, resource.Metadata.Name, resource.Kind);
        var bytes = ResourceYaml.SerializeToUtf8(resource);
        lock (LockFor(path))
        {
            if (HasContent(path, bytes))
            {
                return WriteResult.Unchanged;
            }

            if (Path.Exists(path) && !HoldsManaged(path, resource.Kind, resource.Metadata.NamespaceProperty, resource.Metadata.Name))
            {
                return WriteResult.NotOurs;
            }

            AtomicFile.WriteAllBytes(path, bytes, Durable);
            return WriteResult.Written;
        }
    }

    /// <summary>
    /// Deletes the object's file; false when there was none, or when the file at the object's path is not this
    /// object with LazyMesh's managed-by label (a user's file is never deleted, whatever another file claims).
    /// </summary>
    public bool Delete(string @namespace, string name, string kind = SidecarResource.ResourceKind)
    {
        var path = PathFor(@namespace, name, kind);
        lock (LockFor(path))
        {
            if (!File.Exists(path) || !HoldsManaged(path, kind, @namespace, name))
            {
                return false;
            }

            File.Delete(path);
            return true;
        }
    }

    /// <summary>
    /// True when a managed Sidecar read back by <see cref="ReadAll()"/> sits at the path this sink would write it
    /// (so it may be pruned there); false for a copy elsewhere that merely claims the identity in its metadata.
    /// </summary>
    public bool IsAtItsOwnPath(StoredSidecar stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        var ns = stored.Sidecar.Metadata?.NamespaceProperty;
        var name = stored.Sidecar.Metadata?.Name;
        return stored.IsManaged
            && ns is not null && KubernetesNames.IsDns1123Label(ns)
            && name is not null && KubernetesNames.IsDns1123Subdomain(name)
            && string.Equals(Path.GetFullPath(stored.Path), PathFor(ns, name), StringComparison.Ordinal);
    }

    /// <summary>
    /// True when <paramref name="path"/> is a regular file (not a link) holding exactly one object, of this kind,
    /// namespace and name, labelled <c>app.kubernetes.io/managed-by: lazymesh</c>.
    /// </summary>
    private static bool HoldsManaged(string path, string kind, string @namespace, string name)
    {
        try
        {
            if (new FileInfo(path).LinkTarget is not null)
            {
                return false;
            }

            var documents = YamlJson.ParseAll(File.ReadAllText(path, Encoding.UTF8), path).Where(static d => d is not null).ToList();
            return documents is [System.Text.Json.Nodes.JsonObject obj]
                && Text(obj["kind"]) == kind
                && obj["metadata"] is System.Text.Json.Nodes.JsonObject metadata
                && Text(metadata["name"]) == name
                && Text(metadata["namespace"]) == @namespace
                && metadata["labels"] is System.Text.Json.Nodes.JsonObject labels
                && Text(labels[LazyMeshMetadata.ManagedByLabel]) == LazyMeshMetadata.ManagedByValue;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InventoryException or FormatException or InvalidOperationException)
        {
            return false;
        }

        static string? Text(System.Text.Json.Nodes.JsonNode? node) =>
            node is System.Text.Json.Nodes.JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
    }

    /// <summary>Every Sidecar under the root, managed or not, in path order. Unreadable files are skipped.</summary>
    public IReadOnlyList<StoredSidecar> ReadAll() => ReadAll(out _);

    /// <summary>
    /// Every Sidecar in every <c>*.yaml</c>/<c>*.yml</c> file under the root (any depth, multi-document files
    /// included), in path order; other kinds are ignored, as are hidden and temporary files.
    /// <paramref name="problems"/> lists files or documents that could not be read, each naming its file.
    /// </summary>
    public IReadOnlyList<StoredSidecar> ReadAll(out IReadOnlyList<string> problems) => ReadDirectory(Root, out problems);

    /// <summary>Like <see cref="ReadAll(out IReadOnlyList{string})"/> for any directory, without creating or cleaning it.</summary>
    public static IReadOnlyList<StoredSidecar> ReadDirectory(string root, out IReadOnlyList<string> problems)
    {
        var result = new List<StoredSidecar>();
        var issues = new List<string>();
        // Links are not followed: a linked directory may lead outside the root.
        var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint, IgnoreInaccessible = true };
        var files = Directory.EnumerateFiles(root, "*", options)
            .Where(IsYamlFile)
            .Order(StringComparer.Ordinal);
        foreach (var file in files)
        {
            ReadFile(file, result, issues);
        }

        problems = issues;
        return result;
    }

    /// <summary>Reads a YAML file of Sidecars; other kinds are skipped, bad documents reported in <paramref name="problems"/>.</summary>
    public static void ReadFile(string file, ICollection<StoredSidecar> into, ICollection<string> problems)
    {
        ArgumentNullException.ThrowIfNull(into);
        ArgumentNullException.ThrowIfNull(problems);
        string text;
        IReadOnlyList<System.Text.Json.Nodes.JsonNode?> documents;
        try
        {
            text = File.ReadAllText(file, Encoding.UTF8);
            documents = YamlJson.ParseAll(text, file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InventoryException or FormatException)
        {
            problems.Add($"{file}: {e.Message}");
            return;
        }

        for (var i = 0; i < documents.Count; i++)
        {
            if (documents[i] is not System.Text.Json.Nodes.JsonObject obj
                || obj["kind"]?.GetValueKind() != JsonValueKind.String
                || obj["kind"]!.GetValue<string>() != SidecarResource.ResourceKind)
            {
                continue;
            }

            try
            {
                var sidecar = KubernetesJson.Deserialize<SidecarResource>(obj.ToJsonString());
                into.Add(new StoredSidecar(file, sidecar, IsManaged(sidecar)));
            }
            catch (JsonException e)
            {
                problems.Add($"{file} (document {i + 1}): {e.Message}");
            }
        }
    }

    /// <summary>
    /// Namespace and name of every LazyMesh-managed object of <paramref name="kind"/> (not Sidecar: see
    /// <see cref="ReadAll()"/>) stored under the root, from its <c>ns/name.kind.yaml</c> file. Unreadable files are skipped.
    /// </summary>
    public IReadOnlyList<(string Namespace, string Name)> ReadManaged(string kind)
    {
        ArgumentException.ThrowIfNullOrEmpty(kind);
        var suffix = "." + kind.ToLowerInvariant() + Extension;
        var result = new List<(string, string)>();
        if (!Directory.Exists(Root))
        {
            return result;
        }

        foreach (var file in Directory.EnumerateFiles(Root, "*" + suffix, SearchOption.AllDirectories).Where(IsYamlFile).Order(StringComparer.Ordinal))
        {
            IReadOnlyList<System.Text.Json.Nodes.JsonNode?> documents;
            try
            {
                documents = YamlJson.ParseAll(File.ReadAllText(file, Encoding.UTF8), file);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or InventoryException or FormatException)
            {
                continue;
            }

            foreach (var document in documents)
            {
                if (document is System.Text.Json.Nodes.JsonObject obj
                    && obj["kind"] is System.Text.Json.Nodes.JsonValue k && k.TryGetValue<string>(out var docKind) && docKind == kind
                    && obj["metadata"] is System.Text.Json.Nodes.JsonObject metadata
                    && metadata["labels"]?[LazyMeshMetadata.ManagedByLabel] is System.Text.Json.Nodes.JsonValue managed
                    && managed.TryGetValue<string>(out var by) && by == LazyMeshMetadata.ManagedByValue
                    && metadata["namespace"] is System.Text.Json.Nodes.JsonValue ns && ns.TryGetValue<string>(out var nsName)
                    && metadata["name"] is System.Text.Json.Nodes.JsonValue n && n.TryGetValue<string>(out var name))
                {
                    result.Add((nsName, name));
                }
            }
        }

        return result;
    }

    /// <summary>True when the object carries <c>app.kubernetes.io/managed-by: lazymesh</c>.</summary>
    public static bool IsManaged(SidecarResource sidecar) =>
        sidecar.Metadata?.Labels is { } labels
        && labels.TryGetValue(LazyMeshMetadata.ManagedByLabel, out var value)
        && value == LazyMeshMetadata.ManagedByValue;

    private static bool IsYamlFile(string path)
    {
        var name = Path.GetFileName(path);
        return !name.StartsWith('.')
            && (name.EndsWith(".yaml", StringComparison.Ordinal) || name.EndsWith(".yml", StringComparison.Ordinal));
    }

    private static bool HasContent(string path, byte[] bytes)
    {
        try
        {
            var info = new FileInfo(path);
            return info.Exists && info.Length == bytes.Length && File.ReadAllBytes(path).AsSpan().SequenceEqual(bytes);
        }
        catch (FileNotFoundException)
        {
            return false;
        }
        catch (DirectoryNotFoundException)
        {
            return false;
        }
    }

    private Lock LockFor(string path) => _locks[(uint)StringComparer.Ordinal.GetHashCode(path) % LockStripes];
}
