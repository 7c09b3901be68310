using System.Globalization;
using System.Text.Json.Nodes;
using Studio.Sandbox.Api;

namespace Studio.Sandbox.Storage;

/// <summary>
/// The sandbox's single source of truth: every object of every kind, one global monotonically increasing
/// resourceVersion, and a bounded history of changes for watch-from-resourceVersion. A short lock guards commits and
/// snapshots; nothing is written to the network under it. Controllers subscribe in-process with <see cref="Subscribe"/>.
/// </summary>
internal sealed partial class ObjectStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, SortedList<string, StoredObject>> _buckets = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<StoreSubscription>> _subscribers = new(StringComparer.Ordinal);
    private readonly List<StoreSubscription> _allSubscribers = [];
    private readonly Dictionary<string, (string StorageKey, string Key)> _byUid = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<(string StorageKey, string Key)>> _dependents = new(StringComparer.Ordinal);
    private readonly StoreEvent?[] _history;
    private readonly int _subscriberCapacity;
    private readonly CompactionWindow _compaction;
    private int _historyNext;
    private long _evictedUpTo;
    private long _resourceVersion;

    public ObjectStore(int historySize = 20_000, int subscriberCapacity = 20_000, TimeSpan? compactionInterval = null)
    {
        _compaction = new CompactionWindow(compactionInterval ?? TimeSpan.FromMinutes(5));
        _history = new StoreEvent?[Math.Max(16, historySize)];
        _subscriberCapacity = subscriberCapacity;
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

    /// <summary>The oldest resourceVersion a watch can still start from.</summary>
    public long OldestWatchableResourceVersion
    {
        get
        {
            lock (_gate)
            {
                return _evictedUpTo;
            }
        }
    }

    /// <summary>
    /// The oldest resourceVersion a paged LIST can still continue from (etcd's compaction window: time, not a number of
    /// changes); a continue token pinned before it is answered 410 Expired.
    /// </summary>
    public long OldestListableResourceVersion
    {
        get
        {
            lock (_gate)
            {
                return _compaction.OldestReadable(Environment.TickCount64);
            }
        }
    }

    public StoredObject? Get(string storageKey, string? ns, string name)
    {
        lock (_gate)
        {
            return _buckets.TryGetValue(storageKey, out var b) && b.TryGetValue(StoredObject.KeyOf(ns, name), out var o) ? o : null;
        }
    }

    public StoredObject? GetByUid(string uid)
    {
        lock (_gate)
        {
            return _byUid.TryGetValue(uid, out var at) && _buckets.TryGetValue(at.StorageKey, out var b) && b.TryGetValue(at.Key, out var o) ? o : null;
        }
    }

    public int Count(string storageKey, string? ns = null)
    {
        lock (_gate)
        {
            if (!_buckets.TryGetValue(storageKey, out var b))
            {
                return 0;
            }

            if (ns is null)
            {
                return b.Count;
            }

            var (start, end) = Range(b, ns);
            return end - start;
        }
    }

    /// <summary>True when any bucket holds an object in <paramref name="ns"/>.</summary>
    public bool NamespaceHasObjects(string ns)
    {
        lock (_gate)
        {
            foreach (var b in _buckets.Values)
            {
                var (start, end) = Range(b, ns);
                if (end > start)
                {
                    return true;
                }
            }

            return false;
        }
    }

    /// <summary>Storage keys that hold at least one object in the namespace.</summary>
    public IReadOnlyList<string> StorageKeysIn(string ns)
    {
        lock (_gate)
        {
            return [.. _buckets.Where(kv => { var (s, e) = Range(kv.Value, ns); return e > s; }).Select(kv => kv.Key)];
        }
    }

    /// <summary>
    /// One page of objects in key order, starting after <paramref name="afterKey"/>. Filtering runs under the lock
    /// (cheap, in-memory), so a page is always consistent. Returns the page, the store resourceVersion and whether more remain.
    /// </summary>
    public (List<StoredObject> Items, long ResourceVersion, string? LastKey, bool More) List(
        string storageKey, string? ns, string? afterKey, int limit, Func<StoredObject, bool>? filter)
    {
        var items = new List<StoredObject>(limit > 0 ? Math.Min(limit, 1024) : 64);
        lock (_gate)
        {
            if (!_buckets.TryGetValue(storageKey, out var b))
            {
                return (items, _resourceVersion, null, false);
            }

            var (start, end) = ns is null ? (0, b.Count) : Range(b, ns);
            if (afterKey is not null)
            {
                var i = LowerBound(b.Keys, afterKey);
                if (i < b.Count && string.CompareOrdinal(b.Keys[i], afterKey) == 0)
                {
                    i++;
                }

                start = Math.Max(start, i);
            }

            var values = b.Values;
            for (var i = start; i < end; i++)
            {
                var o = values[i];
                if (filter is not null && !filter(o))
                {
                    continue;
                }

                if (limit > 0 && items.Count == limit)
                {
                    return (items, _resourceVersion, items[^1].Key, true);
                }

                items.Add(o);
            }

            return (items, _resourceVersion, null, false);
        }
    }

    /// <summary>Objects whose ownerReferences name <paramref name="ownerUid"/>.</summary>
    public IReadOnlyList<StoredObject> Dependents(string ownerUid)
    {
        lock (_gate)
        {
            if (!_dependents.TryGetValue(ownerUid, out var set))
            {
                return [];
            }

            return [.. set.Select(at => _buckets.TryGetValue(at.StorageKey, out var b) && b.TryGetValue(at.Key, out var o) ? o : null).OfType<StoredObject>()];
        }
    }

    /// <summary>
    /// Commits a new version. <paramref name="expectedResourceVersion"/>: null = create (must not exist); 0 = unconditional update;
    /// otherwise the update must be based on that version (else Conflict). <paramref name="obj"/> gets its resourceVersion set.
    /// </summary>
    public StoredObject Put(ResourceRef r, JsonObject obj, long? expectedResourceVersion, bool dryRun = false)
    {
        var meta = (JsonObject)obj["metadata"]!;
        var name = (string)meta["name"]!;
        var ns = (string?)meta["namespace"];
        var key = StoredObject.KeyOf(ns, name);
        lock (_gate)
        {
            if (!_buckets.TryGetValue(r.StorageKey, out var bucket))
            {
                bucket = new SortedList<string, StoredObject>(StringComparer.Ordinal);
                _buckets[r.StorageKey] = bucket;
            }

            bucket.TryGetValue(key, out var previous);
            if (expectedResourceVersion is null && previous is not null)
            {
                throw ApiException.AlreadyExists(r.Plural, r.Group, name);
            }

            if (expectedResourceVersion is not null)
            {
                if (previous is null)
                {
                    throw ApiException.NotFound(r.Plural, r.Group, name);
                }

                if (expectedResourceVersion.Value != 0 && previous.ResourceVersion != expectedResourceVersion.Value)
                {
                    throw ApiException.Conflict(r.Plural, r.Group, name);
                }
            }

            var rv = dryRun ? _resourceVersion : _resourceVersion + 1;
            meta["resourceVersion"] = rv.ToString(CultureInfo.InvariantCulture);
            var stored = StoredObject.Create(r.StorageKey, obj, rv);
            if (dryRun)
            {
                return stored;
            }

            _resourceVersion = rv;
            bucket[key] = stored;
            Reindex(previous, stored, key);
            Publish(new StoreEvent(previous is null ? "ADDED" : "MODIFIED", stored, previous));
            return stored;
        }
    }

    /// <summary>Removes an object; the DELETED event carries its last state with the deletion's resourceVersion.</summary>
    public StoredObject? Remove(ResourceRef r, string? ns, string name, long expectedResourceVersion = 0)
    {
        var key = StoredObject.KeyOf(ns, name);
        JsonObject json;
        StoredObject? current;
        lock (_gate)
        {
            if (!_buckets.TryGetValue(r.StorageKey, out var bucket) || !bucket.TryGetValue(key, out current))
            {
                return null;
            }

            json = current.ToJsonObject();
        }

        lock (_gate)
        {
            var bucket = _buckets[r.StorageKey];
            if (!bucket.TryGetValue(key, out var now) || (expectedResourceVersion != 0 && now.ResourceVersion != expectedResourceVersion))
            {
                throw ApiException.Conflict(r.Plural, r.Group, name);
            }

            if (!ReferenceEquals(now, current))
            {
                json = now.ToJsonObject();
            }

            var rv = ++_resourceVersion;
            ((JsonObject)json["metadata"]!)["resourceVersion"] = rv.ToString(CultureInfo.InvariantCulture);
            var last = StoredObject.Create(r.StorageKey, json, rv);
            bucket.Remove(key);
            Reindex(now, null, key);
            Publish(new StoreEvent("DELETED", last, now));
            return last;
        }
    }

    private void Reindex(StoredObject? previous, StoredObject? current, string key)
    {
        if (previous is not null)
        {
            if (current is null || previous.Uid != current.Uid)
            {
                _byUid.Remove(previous.Uid);
            }

            foreach (var owner in previous.OwnerUids)
            {
                if (current is null || Array.IndexOf(current.OwnerUids, owner) < 0)
                {
                    if (_dependents.TryGetValue(owner, out var set))
                    {
                        set.Remove((previous.StorageKey, key));
                        if (set.Count == 0)
                        {
                            _dependents.Remove(owner);
                        }
                    }
                }
            }
        }

        if (current is not null)
        {
            if (current.Uid.Length > 0)
            {
                _byUid[current.Uid] = (current.StorageKey, key);
            }

            foreach (var owner in current.OwnerUids)
            {
                if (!_dependents.TryGetValue(owner, out var set))
                {
                    set = [];
                    _dependents[owner] = set;
                }

                set.Add((current.StorageKey, key));
            }
        }
    }

    private static (int Start, int End) Range(SortedList<string, StoredObject> b, string ns)
    {
        var prefix = ns + "/";
        var start = LowerBound(b.Keys, prefix);
        var end = LowerBound(b.Keys, ns + "0"); // '0' follows '/' in ordinal order
        return (start, end);
    }

    private static int LowerBound(IList<string> keys, string value)
    {
        int lo = 0, hi = keys.Count;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (string.CompareOrdinal(keys[mid], value) < 0)
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
}
