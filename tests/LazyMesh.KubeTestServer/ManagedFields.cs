using System.Text.Json.Nodes;

namespace LazyMesh.KubeTesting;

/// <summary>
/// Field ownership of one object, read from and written to <c>metadata.managedFields</c>, and the
/// server-side apply merge and conflict rules at <see cref="FieldPaths"/> granularity.
/// </summary>
internal sealed class ManagedFields
{
    private readonly List<ManagedFieldsEntry> _entries = [];

    public IReadOnlyList<ManagedFieldsEntry> Entries => _entries;

    public static ManagedFields Parse(JsonObject? obj)
    {
        var result = new ManagedFields();
        if (obj?["metadata"]?["managedFields"] is JsonArray array)
        {
            foreach (var item in array.OfType<JsonObject>())
            {
                var entry = new ManagedFieldsEntry(
                    item["manager"]?.GetValue<string>() ?? "",
                    item["operation"]?.GetValue<string>() ?? "Update",
                    item["subresource"]?.GetValue<string>() ?? "",
                    item["apiVersion"]?.GetValue<string>() ?? "",
                    item["time"]?.GetValue<string>() ?? "");
                entry.Fields.UnionWith(FieldPaths.FromFieldsV1(item["fieldsV1"] as JsonObject));
                result._entries.Add(entry);
            }
        }

        return result;
    }

    public ManagedFieldsEntry GetOrAdd(string manager, string operation, string subresource, string apiVersion, string time)
    {
        var entry = _entries.Find(e => e.Manager == manager && e.Operation == operation && e.Subresource == subresource);
        if (entry is null)
        {
            entry = new ManagedFieldsEntry(manager, operation, subresource, apiVersion, time);
            _entries.Add(entry);
        }

        return entry;
    }

    public ManagedFieldsEntry? Find(string manager, string operation, string subresource) =>
        _entries.Find(e => e.Manager == manager && e.Operation == operation && e.Subresource == subresource);

    /// <summary>A non-apply write (create, update, patch): the writer takes the fields it changed; removed fields lose their owners.</summary>
    public void RecordUpdate(JsonObject? old, JsonObject updated, string manager, string subresource, string apiVersion, string time, bool hasStatusSubresource)
    {
        var statusOnly = subresource == "status";
        var oldPaths = FieldPaths.Enumerate(old, hasStatusSubresource, statusOnly);
        var newPaths = FieldPaths.Enumerate(updated, hasStatusSubresource, statusOnly);
        var changed = newPaths.Where(p => !JsonNode.DeepEquals(FieldPaths.ValueAt(old, p), FieldPaths.ValueAt(updated, p))).ToHashSet(StringComparer.Ordinal);
        oldPaths.ExceptWith(newPaths);
        var removed = oldPaths;
        if (changed.Count == 0 && removed.Count == 0)
        {
            return;
        }

        foreach (var entry in _entries)
        {
            var before = entry.Fields.Count;
            entry.Fields.ExceptWith(removed);
            entry.Fields.ExceptWith(changed);
            if (entry.Fields.Count != before)
            {
                entry.Time = time;
            }
        }

        if (changed.Count > 0)
        {
            var mine = GetOrAdd(manager, "Update", subresource, apiVersion, time);
            mine.Fields.UnionWith(changed);
            mine.ApiVersion = apiVersion;
            mine.Time = time;
        }

        _entries.RemoveAll(e => e.Fields.Count == 0);
    }

    /// <summary>
    /// Server-side apply of <paramref name="applied"/> by <paramref name="manager"/> onto <paramref name="target"/>
    /// (a clone of the live object, changed in place). Throws a 409 Conflict when another manager owns a field whose
    /// value would change, unless <paramref name="force"/>.
    /// </summary>
    public void Apply(JsonObject target, JsonObject applied, string manager, string subresource, bool force, KubeResourceType type, string apiVersion, string time)
    {
        var statusOnly = subresource == "status";
        var appliedPaths = FieldPaths.Enumerate(applied, type.HasStatusSubresource, statusOnly);
        var changed = appliedPaths
            .Where(p => !FieldPaths.Has(target, p) || !JsonNode.DeepEquals(FieldPaths.ValueAt(target, p), FieldPaths.ValueAt(applied, p)))
            .ToHashSet(StringComparer.Ordinal);

        var conflicts = new List<(string Manager, string ApiVersion, string Path)>();
        foreach (var entry in _entries.Where(e => e.Manager != manager))
        {
            foreach (var path in changed.Where(entry.Fields.Contains).OrderBy(p => p, StringComparer.Ordinal))
            {
                conflicts.Add((entry.Manager, entry.ApiVersion, path));
            }
        }

        if (conflicts.Count > 0 && !force)
        {
            throw ConflictError(conflicts, type, applied);
        }

        var mine = GetOrAdd(manager, "Apply", subresource, apiVersion, time);
        var previouslyApplied = new HashSet<string>(mine.Fields, StringComparer.Ordinal);

        foreach (var path in appliedPaths)
        {
            FieldPaths.Set(target, path, FieldPaths.ValueAt(applied, path)?.DeepClone());
        }

        previouslyApplied.ExceptWith(appliedPaths);
        foreach (var path in previouslyApplied)
        {
            if (!_entries.Exists(e => e != mine && e.Fields.Contains(path)))
            {
                FieldPaths.Remove(target, path);
            }
        }

        foreach (var entry in _entries.Where(e => e != mine))
        {
            var before = entry.Fields.Count;
            entry.Fields.ExceptWith(changed);
            if (entry.Fields.Count != before)
            {
                entry.Time = time;
            }
        }

        if (!mine.Fields.SetEquals(appliedPaths))
        {
            mine.Fields.Clear();
            mine.Fields.UnionWith(appliedPaths);
            mine.Time = time;
        }

        mine.ApiVersion = apiVersion;
        _entries.RemoveAll(e => e.Fields.Count == 0);
    }

    public void WriteTo(JsonObject obj)
    {
        var meta = (JsonObject)obj["metadata"]!;
        meta.Remove("managedFields");
        if (_entries.Count == 0)
        {
            return;
        }

        var array = new JsonArray();
        foreach (var entry in _entries)
        {
            var item = new JsonObject
            {
                ["manager"] = entry.Manager,
                ["operation"] = entry.Operation,
                ["apiVersion"] = entry.ApiVersion,
                ["time"] = entry.Time,
                ["fieldsType"] = "FieldsV1",
                ["fieldsV1"] = FieldPaths.ToFieldsV1(entry.Fields),
            };
            if (entry.Subresource.Length > 0)
            {
                item["subresource"] = entry.Subresource;
            }

            array.Add(item);
        }

        meta["managedFields"] = array;
    }

    private static KubeApiException ConflictError(List<(string Manager, string ApiVersion, string Path)> conflicts, KubeResourceType type, JsonObject applied)
    {
        var causes = new JsonArray();
        foreach (var (manager, apiVersion, path) in conflicts)
        {
            causes.Add(new JsonObject
            {
                ["reason"] = "FieldManagerConflict",
                ["message"] = $"conflict with \"{manager}\" using {apiVersion}",
                ["field"] = FieldPaths.Display(path),
            });
        }

        var name = applied["metadata"]?["name"]?.GetValue<string>() ?? "";
        var details = KubeStatus.Details(type, name);
        details["causes"] = causes;
        var lines = string.Join("\n", conflicts.Select(c => $"- conflict with \"{c.Manager}\" using {c.ApiVersion}: {FieldPaths.Display(c.Path)}"));
        return new KubeApiException(409, "Conflict",
            $"Apply failed with {conflicts.Count} conflict{(conflicts.Count == 1 ? "" : "s")}: {lines}", details);
    }
}
