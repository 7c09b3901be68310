using Studio.Sandbox.Api;

namespace Studio.Sandbox.Storage;

/// <summary>Watches: subscriptions per kind and namespace, the retained history they replay from, and publishing changes to them.</summary>
internal sealed partial class ObjectStore
{
    /// <summary>
    /// Subscribes to changes of one storage key (null = every kind), optionally in one namespace.
    /// <paramref name="fromResourceVersion"/> null or 0: start now, with the current objects in <see cref="StoreSubscription.Initial"/>
    /// when <paramref name="initial"/>; otherwise replay the retained history after it (410 Gone if it is too old).
    /// </summary>
    public StoreSubscription Subscribe(string? storageKey, string? ns, long? fromResourceVersion, bool initial)
    {
        var sub = new StoreSubscription(storageKey, ns, _subscriberCapacity, Unsubscribe);
        lock (_gate)
        {
            sub.StartResourceVersion = _resourceVersion;
            if (fromResourceVersion is null or 0)
            {
                if (initial)
                {
                    var items = new List<StoredObject>();
                    foreach (var (k, b) in _buckets)
                    {
                        if (storageKey is not null && k != storageKey)
                        {
                            continue;
                        }

                        var (s, e) = ns is null ? (0, b.Count) : Range(b, ns);
                        for (var i = s; i < e; i++)
                        {
                            items.Add(b.Values[i]);
                        }
                    }

                    sub.Initial = items;
                }
            }
            else
            {
                var from = fromResourceVersion.Value;
                if (from > _resourceVersion)
                {
                    throw new ApiException(504, "Timeout", $"Too large resource version: {from}, current: {_resourceVersion}",
                        new System.Text.Json.Nodes.JsonObject
                        {
                            ["causes"] = new System.Text.Json.Nodes.JsonArray(new System.Text.Json.Nodes.JsonObject { ["reason"] = "ResourceVersionTooLarge", ["message"] = "Too large resource version" }),
                            ["retryAfterSeconds"] = 1,
                        });
                }

                if (from < _evictedUpTo)
                {
                    throw ApiException.Gone($"too old resource version: {from} ({_evictedUpTo + 1})");
                }

                foreach (var e in HistoryAfter(from))
                {
                    if (Matches(sub, e) && !sub.Offer(e))
                    {
                        throw ApiException.TooManyRequests("too many events to replay for this watch; list again");
                    }
                }
            }

            if (storageKey is null)
            {
                _allSubscribers.Add(sub);
            }
            else
            {
                if (!_subscribers.TryGetValue(storageKey, out var list))
                {
                    list = [];
                    _subscribers[storageKey] = list;
                }

                list.Add(sub);
            }
        }

        return sub;
    }

    /// <summary>Ends every open subscription (HTTP watches end; clients re-watch from their last resourceVersion).</summary>
    public int CloseAllSubscriptions()
    {
        List<StoreSubscription> all;
        lock (_gate)
        {
            all = [.. _allSubscribers, .. _subscribers.Values.SelectMany(l => l)];
            _allSubscribers.Clear();
            _subscribers.Clear();
        }

        foreach (var sub in all)
        {
            sub.Complete();
        }

        return all.Count;
    }

    /// <summary>
    /// Forgets the watch history and compacts: a watch from any earlier resourceVersion, or a continue token issued before
    /// now, gets 410 Gone (as after etcd compaction).
    /// </summary>
    public void CompactHistory()
    {
        lock (_gate)
        {
            Array.Clear(_history);
            _historyNext = 0;
            _evictedUpTo = _resourceVersion;
            _compaction.CompactBelow(_resourceVersion);
        }
    }

    private void Unsubscribe(StoreSubscription sub)
    {
        lock (_gate)
        {
            if (sub.StorageKey is null)
            {
                _allSubscribers.Remove(sub);
            }
            else if (_subscribers.TryGetValue(sub.StorageKey, out var list))
            {
                list.Remove(sub);
            }
        }
    }

    private IEnumerable<StoreEvent> HistoryAfter(long rv)
    {
        var n = _history.Length;
        for (var i = 0; i < n; i++)
        {
            var e = _history[(_historyNext + i) % n];
            if (e is not null && e.ResourceVersion > rv)
            {
                yield return e;
            }
        }
    }

    private static bool Matches(StoreSubscription sub, StoreEvent e) =>
        (sub.StorageKey is null || sub.StorageKey == e.Object.StorageKey) && (sub.Namespace is null || sub.Namespace == e.Object.Namespace);

    private void Publish(StoreEvent e)
    {
        var evicted = _history[_historyNext];
        if (evicted is not null)
        {
            _evictedUpTo = evicted.ResourceVersion;
        }

        _compaction.Written(e.ResourceVersion, Environment.TickCount64);
        _history[_historyNext] = e;
        _historyNext = (_historyNext + 1) % _history.Length;
        if (_subscribers.TryGetValue(e.Object.StorageKey, out var list))
        {
            Offer(list, e);
        }

        Offer(_allSubscribers, e);
    }

    private static void Offer(List<StoreSubscription> list, StoreEvent e)
    {
        for (var i = list.Count - 1; i >= 0; i--)
        {
            var sub = list[i];
            if ((sub.Namespace is null || sub.Namespace == e.Object.Namespace) && !sub.Offer(e))
            {
                list.RemoveAt(i);
            }
        }
    }
}
