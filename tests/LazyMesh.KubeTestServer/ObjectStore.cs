using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace LazyMesh.KubeTesting;

/// <summary>
/// The object store: one global resourceVersion counter, objects as JSON, a bounded event history for watch
/// resumption, open watches, and garbage collection. Every operation runs under one lock, so events reach
/// every watch in resourceVersion order.
/// </summary>
internal sealed class ObjectStore
{
    private static readonly KubeResourceType NamespaceType = new("", ["v1"], "namespaces", "Namespace", Namespaced: false, HasStatusSubresource: true);

    private readonly object _gate = new();
    private readonly KubeTestServerOptions _options;
    private readonly Dictionary<ObjectKey, StoredObject> _objects = [];
    private readonly Dictionary<string, ObjectKey> _byUid = new(StringComparer.Ordinal);

    // How many stored objects name each UID in their ownerReferences: a delete looks for dependents (a scan of every
    // object) only when there are some, so deleting a pod of a 50,000-pod store does not read every object.
    private readonly Dictionary<string, int> _ownerReferences = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _pendingPropagation = new(StringComparer.Ordinal);
    private readonly Queue<HistoryEvent> _history = new();
    private readonly List<WatchSubscription> _watches = [];
    private long _resourceVersion;
    private long _noOpWrites;

    /// <summary>Updates, patches and applies that changed nothing (the object was already as written).</summary>
    public long NoOpWrites => Interlocked.Read(ref _noOpWrites);

    // Per resource type, its objects in key order (namespace, name), as etcd and the watch cache keep them, so a paged
    // LIST reads a page instead of filtering and sorting the whole store per page. Valid while the store's
    // resourceVersion has not moved (every write goes through Commit, which bumps it).
    private readonly Dictionary<(string Group, string Plural), (long Rv, List<StoredObject> Objects)> _sorted = [];
    private long _oldestServable;

    public ObjectStore(KubeTestServerOptions options)
    {
        _options = options;
        foreach (var ns in options.InitialNamespaces)
        {
            Create(NamespaceType, "v1", null, new JsonObject { ["metadata"] = new JsonObject { ["name"] = ns } }, "kube-test-server", dryRun: false);
        }
    }

    public long ResourceVersion
    {
        get
        {
            lock (_gate)
            {
                return _resourceVersion;
            }
        }
    }

    public int OpenWatches
    {
        get
        {
            lock (_gate)
            {
                return _watches.Count;
            }
        }
    }

    public void Compact()
    {
        lock (_gate)
        {
            _history.Clear();
            _oldestServable = _resourceVersion;
        }
    }

    public JsonObject? Snapshot(KubeResourceType type, string? ns, string name)
    {
        lock (_gate)
        {
            return _objects.TryGetValue(Key(type, ns, name), out var stored) ? stored.Node : null;
        }
    }

    /// <summary>Copies of every stored object of <paramref name="type"/> (in <paramref name="ns"/>, or all).</summary>
    public IReadOnlyList<JsonObject> Objects(KubeResourceType type, string? ns)
    {
        lock (_gate)
        {
            return [.. _objects.Values.Where(o => Same(o, type) && (ns is null || o.Key.Namespace == ns)).Select(static o => o.Node)];
        }
    }

    public string Get(KubeResourceType type, string version, string? ns, string name)
    {
        lock (_gate)
        {
            return Require(type, ns, name).JsonFor(version);
        }
    }

    public string List(KubeResourceType type, string version, string? ns, LabelSelector labels, FieldSelector fields, int limit, string? continueToken)
    {
        lock (_gate)
        {
            var listRv = _resourceVersion;
            var sorted = SortedObjects(type);
            var start = 0;
            if (!string.IsNullOrEmpty(continueToken))
            {
                var (rv, afterNs, afterName) = DecodeContinue(continueToken);
                listRv = rv;
                start = FirstAfter(sorted, afterNs, afterName);
            }

            var items = new List<StoredObject>();
            var remaining = 0;
            for (var i = start; i < sorted.Count; i++)
            {
                var o = sorted[i];
                if ((ns is null || o.Key.Namespace == ns) && labels.Matches(o.Labels) && (fields.IsEmpty || fields.Matches(o.Node)))
                {
                    if (limit <= 0 || items.Count < limit)
                    {
                        items.Add(o);
                    }
                    else
                    {
                        remaining++;
                    }
                }
            }

            var next = remaining > 0 ? EncodeContinue(listRv, items[^1].Key) : null;

            var sb = new StringBuilder();
            sb.Append("{\"kind\":\"").Append(type.ListKind).Append("\",\"apiVersion\":\"").Append(type.ApiVersion(version))
                .Append("\",\"metadata\":{\"resourceVersion\":\"").Append(listRv.ToString(CultureInfo.InvariantCulture)).Append('"');
            if (next is not null)
            {
                sb.Append(",\"continue\":\"").Append(next).Append("\",\"remainingItemCount\":").Append(remaining);
            }

            sb.Append("},\"items\":[");
            for (var i = 0; i < items.Count; i++)
            {
                if (i > 0)
                {
                    sb.Append(',');
                }

                sb.Append(items[i].JsonFor(version));
            }

            sb.Append("]}");
            return sb.ToString();
        }
    }

    public string Create(KubeResourceType type, string version, string? ns, JsonObject body, string manager, bool dryRun)
    {
        lock (_gate)
        {
            var obj = (JsonObject)body.DeepClone();
            var meta = EnsureMetadata(obj);
            ns = ResolveNamespace(type, ns, meta);
            var name = meta["name"]?.GetValue<string>();
            if (string.IsNullOrEmpty(name))
            {
                var prefix = meta["generateName"]?.GetValue<string>();
                if (string.IsNullOrEmpty(prefix))
                {
                    throw KubeApiException.Invalid(type, "", "metadata.name: Required value: name or generateName is required");
                }

                do
                {
                    name = prefix + RandomSuffix();
                }
                while (_objects.ContainsKey(Key(type, ns, name)));
            }

            var key = Key(type, ns, name);
            if (_objects.ContainsKey(key))
            {
                throw KubeApiException.AlreadyExists(type, name);
            }

            PrepareNew(type, obj, ns, name);
            var managed = new ManagedFields();
            managed.RecordUpdate(null, obj, manager, "", type.ApiVersion(version), Now(), type.HasStatusSubresource);
            managed.WriteTo(obj);
            return dryRun ? Render(type, version, obj) : Commit(type, key, "ADDED", null, obj).JsonFor(version);
        }
    }

    public string Update(KubeResourceType type, string version, string? ns, string name, JsonObject body, string subresource, string manager, bool dryRun)
    {
        lock (_gate)
        {
            var old = Require(type, ns, name);
            var bodyMeta = EnsureMetadata(body);
            CheckName(bodyMeta, name);
            CheckResourceVersion(type, old, bodyMeta);
            JsonObject obj;
            if (subresource == "status")
            {
                obj = old.Node;
                SetOrRemove(obj, "status", body["status"]);
            }
            else
            {
                obj = (JsonObject)body.DeepClone();
                if (type.HasStatusSubresource)
                {
                    SetOrRemove(obj, "status", old.Node["status"]);
                }
            }

            return FinishWrite(type, version, old, obj, manager, subresource, null, dryRun);
        }
    }

    public string Patch(KubeResourceType type, string version, string? ns, string name, PatchKind kind, JsonNode? patch, string subresource, string manager, bool dryRun)
    {
        lock (_gate)
        {
            var old = Require(type, ns, name);
            JsonNode working = old.Node;
            var patched = kind == PatchKind.Json ? JsonPatch.Apply(working, patch) : MergePatch.Apply(working, patch);
            if (patched is not JsonObject patchedObject)
            {
                throw KubeApiException.BadRequest("the patch result is not an object");
            }

            CheckResourceVersion(type, old, EnsureMetadata(patchedObject));
            JsonObject obj;
            if (subresource == "status")
            {
                obj = old.Node;
                SetOrRemove(obj, "status", patchedObject["status"]);
            }
            else
            {
                obj = patchedObject;
                if (type.HasStatusSubresource)
                {
                    SetOrRemove(obj, "status", old.Node["status"]);
                }
            }

            return FinishWrite(type, version, old, obj, manager, subresource, null, dryRun);
        }
    }

    public (string Json, bool Created) Apply(KubeResourceType type, string version, string? ns, string name, JsonObject applied, string subresource, string manager, bool force, bool dryRun)
    {
        lock (_gate)
        {
            if (applied["apiVersion"] is null || applied["kind"] is null)
            {
                throw KubeApiException.BadRequest("apiVersion and kind must be set in an apply configuration");
            }

            var appliedMeta = EnsureMetadata(applied);
            CheckName(appliedMeta, name);
            var key = Key(type, ResolveNamespace(type, ns, appliedMeta), name);
            var time = Now();
            if (!_objects.TryGetValue(key, out var old))
            {
                if (subresource == "status")
                {
                    throw KubeApiException.NotFound(type, name);
                }

                var obj = (JsonObject)applied.DeepClone();
                PrepareNew(type, obj, key.Namespace.Length == 0 ? null : key.Namespace, name);
                var fresh = new ManagedFields();
                fresh.Apply(new JsonObject(), obj, manager, "", force: true, type, type.ApiVersion(version), time);
                fresh.WriteTo(obj);
                return (dryRun ? Render(type, version, obj) : Commit(type, key, "ADDED", null, obj).JsonFor(version), true);
            }

            CheckResourceVersion(type, old, appliedMeta);
            var target = old.Node;
            var managed = ManagedFields.Parse(old.Node);
            managed.Apply(target, applied, manager, subresource, force, type, type.ApiVersion(version), time);
            return (FinishWrite(type, version, old, target, manager, subresource, managed, dryRun), false);
        }
    }

    public (string Json, int Code) Delete(KubeResourceType type, string version, string? ns, string name, string? propagation, string? preconditionUid, string? preconditionRv, bool dryRun)
    {
        lock (_gate)
        {
            var old = Require(type, ns, name);
            if (!string.IsNullOrEmpty(preconditionUid) && preconditionUid != old.Uid)
            {
                throw new KubeApiException(409, "Conflict",
                    $"Operation cannot be fulfilled on {type.Plural} \"{name}\": Precondition failed: UID in precondition: {preconditionUid}, UID in object meta: {old.Uid}",
                    KubeStatus.Details(type, name));
            }

            if (!string.IsNullOrEmpty(preconditionRv) && preconditionRv != old.ResourceVersion.ToString(CultureInfo.InvariantCulture))
            {
                throw new KubeApiException(409, "Conflict",
                    $"Operation cannot be fulfilled on {type.Plural} \"{name}\": Precondition failed: ResourceVersion in precondition: {preconditionRv}, ResourceVersion in object meta: {old.ResourceVersion}",
                    KubeStatus.Details(type, name));
            }

            propagation = string.IsNullOrEmpty(propagation) ? "Background" : propagation;
            if (dryRun)
            {
                return (type.DeleteReturnsObject ? old.JsonFor(version) : KubeStatus.Success(type, name, old.Uid).ToJsonString(), 200);
            }

            if (HasFinalizers(old.Node))
            {
                if (old.Metadata["deletionTimestamp"] is not null)
                {
                    return (old.JsonFor(version), 202);
                }

                _pendingPropagation[old.Uid] = propagation;
                return (MarkDeleting(old).JsonFor(version), 202);
            }

            var deleted = RemoveObject(old, propagation);
            return (type.DeleteReturnsObject ? deleted.JsonFor(version) : KubeStatus.Success(type, name, old.Uid).ToJsonString(), 200);
        }
    }

    public string DeleteCollection(KubeResourceType type, string version, string? ns, LabelSelector labels, FieldSelector fields, string? propagation)
    {
        lock (_gate)
        {
            var victims = _objects.Values
                .Where(o => Same(o, type) && (ns is null || o.Key.Namespace == ns) && labels.Matches(o.Labels) && (fields.IsEmpty || fields.Matches(o.Node)))
                .OrderBy(o => o.Key.Namespace, StringComparer.Ordinal).ThenBy(o => o.Key.Name, StringComparer.Ordinal)
                .ToList();
            var deleted = new List<string>();
            foreach (var victim in victims)
            {
                if (!_objects.TryGetValue(victim.Key, out var current))
                {
                    continue;
                }

                deleted.Add(current.JsonFor(version));
                Cascade(current, string.IsNullOrEmpty(propagation) ? "Background" : propagation);
            }

            return $"{{\"kind\":\"{type.ListKind}\",\"apiVersion\":\"{type.ApiVersion(version)}\",\"metadata\":{{\"resourceVersion\":\"{_resourceVersion}\"}},\"items\":[{string.Join(',', deleted)}]}}";
        }
    }

    public WatchSubscription Watch(KubeResourceType type, string version, string? ns, LabelSelector labels, FieldSelector fields, string? resourceVersion, bool bookmarks)
    {
        lock (_gate)
        {
            var sub = new WatchSubscription(type, version, ns, labels, fields, bookmarks);
            if (string.IsNullOrEmpty(resourceVersion) || resourceVersion == "0")
            {
                foreach (var obj in _objects.Values.Where(sub.Matches)
                    .OrderBy(o => o.Key.Namespace, StringComparer.Ordinal).ThenBy(o => o.Key.Name, StringComparer.Ordinal))
                {
                    sub.Added(obj);
                }
            }
            else
            {
                if (!long.TryParse(resourceVersion, NumberStyles.None, CultureInfo.InvariantCulture, out var from))
                {
                    throw KubeApiException.BadRequest($"invalid resource version: {resourceVersion}");
                }

                if (from < _oldestServable)
                {
                    throw KubeApiException.Gone($"too old resource version: {from} ({_oldestServable})");
                }

                foreach (var ev in _history)
                {
                    if (ev.ResourceVersion > from)
                    {
                        sub.Offer(ev);
                    }
                }
            }

            _watches.Add(sub);
            return sub;
        }
    }

    public void Bookmark(WatchSubscription sub)
    {
        lock (_gate)
        {
            sub.Bookmark(_resourceVersion);
        }
    }

    public void BookmarkAll()
    {
        lock (_gate)
        {
            foreach (var sub in _watches.Where(w => w.Bookmarks))
            {
                sub.Bookmark(_resourceVersion);
            }
        }
    }

    public void Unsubscribe(WatchSubscription sub)
    {
        lock (_gate)
        {
            _watches.Remove(sub);
        }
    }

    public int StopWatches(bool abort)
    {
        List<WatchSubscription> watches;
        lock (_gate)
        {
            watches = [.. _watches];
            _watches.Clear();
        }

        foreach (var sub in watches)
        {
            sub.Stop(abort);
        }

        return watches.Count;
    }

    private string FinishWrite(KubeResourceType type, string version, StoredObject old, JsonObject obj, string manager, string subresource, ManagedFields? managed, bool dryRun)
    {
        obj["apiVersion"] = type.ApiVersion(type.StorageVersion);
        obj["kind"] = type.Kind;
        var meta = EnsureMetadata(obj);
        var oldNode = old.Node;
        var oldMeta = (JsonObject)oldNode["metadata"]!;
        foreach (var field in new[] { "name", "namespace", "uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "generateName" })
        {
            SetOrRemove(meta, field, oldMeta[field]);
        }

        var generation = oldMeta["generation"] is { } g ? long.Parse(g.ToJsonString(), CultureInfo.InvariantCulture) : 1L;
        meta["generation"] = SpecChanged(type, oldNode, obj) ? generation + 1 : generation;
        if (managed is null)
        {
            managed = ManagedFields.Parse(oldNode);
            managed.RecordUpdate(oldNode, obj, manager, subresource, type.ApiVersion(version), Now(), type.HasStatusSubresource);
        }

        managed.WriteTo(obj);
        meta["resourceVersion"] = old.ResourceVersion.ToString(CultureInfo.InvariantCulture);
        if (JsonNode.DeepEquals(oldNode, obj))
        {
            // A write that changes nothing: like kube-apiserver, no new resourceVersion and no watch event.
            if (!dryRun)
            {
                Interlocked.Increment(ref _noOpWrites);
            }

            return old.JsonFor(version);
        }

        if (dryRun)
        {
            return Render(type, version, obj);
        }

        if (meta["deletionTimestamp"] is not null && !HasFinalizers(obj))
        {
            var last = Commit(type, old.Key, "MODIFIED", old, obj);
            _pendingPropagation.Remove(last.Uid, out var propagation);
            RemoveObject(last, propagation ?? "Background");
            return last.JsonFor(version);
        }

        return Commit(type, old.Key, "MODIFIED", old, obj).JsonFor(version);
    }

    private StoredObject Commit(KubeResourceType type, ObjectKey key, string eventType, StoredObject? old, JsonObject obj)
    {
        _resourceVersion++;
        EnsureMetadata(obj)["resourceVersion"] = _resourceVersion.ToString(CultureInfo.InvariantCulture);
        var stored = new StoredObject(type, key, obj, _resourceVersion);
        if (_objects.TryGetValue(key, out var previous))
        {
            foreach (var uid in OwnerUids(previous.Node))
            {
                if ((_ownerReferences[uid] -= 1) == 0)
                {
                    _ownerReferences.Remove(uid);
                }
            }
        }

        if (eventType != "DELETED")
        {
            foreach (var uid in OwnerUids(obj))
            {
                _ownerReferences[uid] = _ownerReferences.GetValueOrDefault(uid) + 1;
            }
        }

        if (eventType == "DELETED")
        {
            _objects.Remove(key);
            _byUid.Remove(stored.Uid);
        }
        else
        {
            _objects[key] = stored;
            _byUid[stored.Uid] = key;
        }

        var ev = new HistoryEvent(_resourceVersion, eventType, old, stored);
        _history.Enqueue(ev);
        while (_history.Count > _options.HistoryCapacity)
        {
            _oldestServable = _history.Dequeue().ResourceVersion;
        }

        foreach (var watch in _watches)
        {
            watch.Offer(ev);
        }

        return stored;
    }

    private StoredObject RemoveObject(StoredObject obj, string propagation)
    {
        var deleted = Commit(obj.Type, obj.Key, "DELETED", obj, obj.Node);
        if (obj.Type.Group.Length == 0 && obj.Type.Plural == "namespaces")
        {
            foreach (var member in _objects.Values.Where(o => o.Type.Namespaced && o.Key.Namespace == obj.Key.Name).ToList())
            {
                if (_objects.TryGetValue(member.Key, out var current))
                {
                    Cascade(current, "Background");
                }
            }
        }

        var dependents = _ownerReferences.ContainsKey(deleted.Uid) ? _objects.Values.Where(o => OwnerUids(o.Node).Contains(deleted.Uid)).ToList() : [];
        foreach (var dependent in dependents)
        {
            if (!_objects.TryGetValue(dependent.Key, out var current) || current.Uid != dependent.Uid)
            {
                continue;
            }

            var otherOwnerAlive = OwnerUids(current.Node).Any(uid => uid != deleted.Uid && _byUid.ContainsKey(uid));
            if (propagation == "Orphan" || otherOwnerAlive)
            {
                var updated = current.Node;
                var meta = EnsureMetadata(updated);
                var refs = new JsonArray(((JsonArray)meta["ownerReferences"]!)
                    .Where(r => r?["uid"]?.GetValue<string>() != deleted.Uid).Select(r => r?.DeepClone()).ToArray());
                if (refs.Count == 0)
                {
                    meta.Remove("ownerReferences");
                }
                else
                {
                    meta["ownerReferences"] = refs;
                }

                Commit(current.Type, current.Key, "MODIFIED", current, updated);
            }
            else
            {
                Cascade(current, "Background");
            }
        }

        return deleted;
    }

    private void Cascade(StoredObject obj, string propagation)
    {
        if (HasFinalizers(obj.Node))
        {
            if (obj.Metadata["deletionTimestamp"] is null)
            {
                _pendingPropagation[obj.Uid] = propagation;
                MarkDeleting(obj);
            }

            return;
        }

        RemoveObject(obj, propagation);
    }

    private StoredObject MarkDeleting(StoredObject obj)
    {
        var updated = obj.Node;
        var meta = EnsureMetadata(updated);
        meta["deletionTimestamp"] = Now();
        meta["deletionGracePeriodSeconds"] = 0;
        return Commit(obj.Type, obj.Key, "MODIFIED", obj, updated);
    }

    private static bool Same(StoredObject obj, KubeResourceType type) => obj.Key.Group == type.Group && obj.Key.Plural == type.Plural;

    /// <summary>The objects of <paramref name="type"/> ordered by (namespace, name), cached until the next write. Under <see cref="_gate"/>.</summary>
    private List<StoredObject> SortedObjects(KubeResourceType type)
    {
        if (_sorted.TryGetValue((type.Group, type.Plural), out var cached) && cached.Rv == _resourceVersion)
        {
            return cached.Objects;
        }

        var objects = _objects.Values.Where(o => Same(o, type)).ToList();
        objects.Sort(static (a, b) => CompareKeys(a.Key.Namespace, a.Key.Name, b.Key.Namespace, b.Key.Name));
        _sorted[(type.Group, type.Plural)] = (_resourceVersion, objects);
        return objects;
    }

    private static int CompareKeys(string ns1, string name1, string ns2, string name2)
    {
        var byNamespace = string.CompareOrdinal(ns1, ns2);
        return byNamespace != 0 ? byNamespace : string.CompareOrdinal(name1, name2);
    }

    /// <summary>Index of the first object whose key is after (<paramref name="ns"/>, <paramref name="name"/>).</summary>
    private static int FirstAfter(List<StoredObject> sorted, string ns, string name)
    {
        int lo = 0, hi = sorted.Count;
        while (lo < hi)
        {
            var mid = lo + ((hi - lo) / 2);
            if (CompareKeys(sorted[mid].Key.Namespace, sorted[mid].Key.Name, ns, name) <= 0)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    private static List<string> OwnerUids(JsonObject node) =>
        node["metadata"]?["ownerReferences"] is JsonArray refs
            ? refs.Select(r => r?["uid"]?.GetValue<string>()).OfType<string>().ToList()
            : [];

    private static bool HasFinalizers(JsonObject node) => node["metadata"]?["finalizers"] is JsonArray { Count: > 0 };

    private static bool SpecChanged(KubeResourceType type, JsonObject old, JsonObject updated)
    {
        static JsonObject Strip(JsonObject o, bool dropStatus)
        {
            var copy = new JsonObject();
            foreach (var (key, value) in o)
            {
                if (key is "metadata" or "apiVersion" or "kind" || (dropStatus && key == "status"))
                {
                    continue;
                }

                copy[key] = value?.DeepClone();
            }

            return copy;
        }

        return !JsonNode.DeepEquals(Strip(old, type.HasStatusSubresource), Strip(updated, type.HasStatusSubresource));
    }

    private void PrepareNew(KubeResourceType type, JsonObject obj, string? ns, string name)
    {
        obj["apiVersion"] = type.ApiVersion(type.StorageVersion);
        obj["kind"] = type.Kind;
        var meta = EnsureMetadata(obj);
        meta["name"] = name;
        if (ns is null)
        {
            meta.Remove("namespace");
        }
        else
        {
            meta["namespace"] = ns;
        }

        foreach (var field in new[] { "resourceVersion", "deletionTimestamp", "deletionGracePeriodSeconds", "managedFields", "selfLink" })
        {
            meta.Remove(field);
        }

        meta["uid"] = Guid.NewGuid().ToString();
        meta["creationTimestamp"] = Now();
        meta["generation"] = 1L;
        if (type.HasStatusSubresource)
        {
            obj.Remove("status");
        }

        if (type.Group.Length == 0 && type.Plural == "namespaces")
        {
            obj["status"] = new JsonObject { ["phase"] = "Active" };
        }
    }

    private string? ResolveNamespace(KubeResourceType type, string? ns, JsonObject meta)
    {
        if (!type.Namespaced)
        {
            return null;
        }

        var bodyNs = meta["namespace"]?.GetValue<string>();
        if (ns is null)
        {
            ns = string.IsNullOrEmpty(bodyNs) ? "default" : bodyNs;
        }
        else if (!string.IsNullOrEmpty(bodyNs) && bodyNs != ns)
        {
            throw KubeApiException.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
        }

        if (_options.EnforceNamespaceExistence && !_objects.ContainsKey(Key(NamespaceType, null, ns)))
        {
            throw KubeApiException.NotFound(NamespaceType, ns);
        }

        return ns;
    }

    private void CheckResourceVersion(KubeResourceType type, StoredObject old, JsonObject meta)
    {
        var rv = meta["resourceVersion"]?.GetValue<string>();
        if (!string.IsNullOrEmpty(rv) && rv != old.ResourceVersion.ToString(CultureInfo.InvariantCulture))
        {
            throw KubeApiException.Conflict(type, old.Key.Name);
        }
    }

    private static void CheckName(JsonObject meta, string name)
    {
        var bodyName = meta["name"]?.GetValue<string>();
        if (!string.IsNullOrEmpty(bodyName) && bodyName != name)
        {
            throw KubeApiException.BadRequest($"the name of the object ({bodyName}) does not match the name on the URL ({name})");
        }
    }

    private StoredObject Require(KubeResourceType type, string? ns, string name) =>
        _objects.TryGetValue(Key(type, ns, name), out var stored) ? stored : throw KubeApiException.NotFound(type, name);

    private static ObjectKey Key(KubeResourceType type, string? ns, string name) =>
        new(type.Group, type.Plural, type.Namespaced ? ns ?? "default" : "", name);

    private static JsonObject EnsureMetadata(JsonObject obj)
    {
        if (obj["metadata"] is JsonObject meta)
        {
            return meta;
        }

        meta = new JsonObject();
        obj.Remove("metadata");
        obj["metadata"] = meta;
        return meta;
    }

    private static void SetOrRemove(JsonObject obj, string key, JsonNode? value)
    {
        obj.Remove(key);
        if (value is not null)
        {
            obj[key] = value.DeepClone();
        }
    }

    private static string Render(KubeResourceType type, string version, JsonObject obj)
    {
        var copy = (JsonObject)obj.DeepClone();
        copy["apiVersion"] = type.ApiVersion(version);
        return copy.ToJsonString();
    }

    private static string Now() => DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string RandomSuffix()
    {
        const string alphabet = "bcdfghjklmnpqrstvwxz2456789";
        return string.Create(5, 0, (span, _) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = alphabet[Random.Shared.Next(alphabet.Length)];
            }
        });
    }

    private static string EncodeContinue(long rv, ObjectKey last) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes($"{rv}\n{last.Namespace}\n{last.Name}"));

    private static (long Rv, string Namespace, string Name) DecodeContinue(string token)
    {
        try
        {
            var parts = Encoding.UTF8.GetString(Convert.FromBase64String(token)).Split('\n');
            return (long.Parse(parts[0], CultureInfo.InvariantCulture), parts[1], parts[2]);
        }
        catch (Exception e) when (e is FormatException or IndexOutOfRangeException)
        {
            throw KubeApiException.BadRequest("invalid continue token");
        }
    }
}
