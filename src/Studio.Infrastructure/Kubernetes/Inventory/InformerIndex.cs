using System.Collections.Concurrent;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Studio.Infrastructure.Kubernetes.Inventory;

/// <summary>
/// A filtered, differently projected view of one <see cref="SharedInformer{TObject, TProjection}"/>: the objects that carry
/// a label, kept with the projection a feature needs (e.g. job pods with container states), fed by the same list and
/// watch. It never opens a watch of its own; its health and first sync are the informer's.
/// </summary>
public sealed class InformerIndex<TObject, TIndexed> : IInformer<TIndexed>, IIndexFeed<TObject>
    where TObject : IKubernetesObject<V1ObjectMeta>
{
    private readonly ConcurrentDictionary<string, TIndexed> _items = new(StringComparer.Ordinal);
    private readonly Func<TObject, TIndexed> _project;
    private readonly Func<InformerHealth> _health;
    private readonly ILogger _logger;
    private Dictionary<string, TIndexed>? _relisting;

    internal InformerIndex(string kind, string label, Func<TObject, TIndexed> project, Func<InformerHealth> health, Task firstSync, ILogger logger)
    {
        Kind = kind;
        Label = label;
        _project = project;
        _health = health;
        FirstSync = firstSync;
        _logger = logger;
    }

    public string Kind { get; }

    /// <summary>The label key an object must carry to be in the index.</summary>
    public string Label { get; }

    public InformerHealth Health => _health();

    /// <summary>Completes with the informer's first full list.</summary>
    public Task FirstSync { get; }

    public int Count => _items.Count;

    /// <summary>Raised after an indexed object changed (or after a relist).</summary>
    public event Action? Changed;

    /// <summary>Raised for each change of an indexed object with the old and new projection (null when absent).</summary>
    public event Action<TIndexed?, TIndexed?>? ItemChanged;

    /// <summary>Raised after a full relist replaced the index.</summary>
    public event Action? Relisted;

    public IReadOnlyCollection<TIndexed> Snapshot() => [.. _items.Values];

    public bool TryGet(string key, out TIndexed? value) => _items.TryGetValue(key, out value);

    private bool Includes(TObject item) => item.Metadata?.Labels?.ContainsKey(Label) == true;

    void IIndexFeed<TObject>.BeginRelist() => _relisting = new Dictionary<string, TIndexed>(StringComparer.Ordinal);

    void IIndexFeed<TObject>.Stage(string key, TObject item)
    {
        if (_relisting is not null && Includes(item))
        {
            _relisting[key] = _project(item);
        }
    }

    void IIndexFeed<TObject>.CommitRelist()
    {
        var fresh = _relisting ?? [];
        _relisting = null;
        foreach (var key in _items.Keys.Where(k => !fresh.ContainsKey(k)).ToList())
        {
            _items.TryRemove(key, out _);
        }

        foreach (var (key, value) in fresh)
        {
            _items[key] = value;
        }

        Raise(Relisted);
        Raise(Changed);
    }

    void IIndexFeed<TObject>.Apply(WatchEventType type, string key, TObject item)
    {
        var had = _items.TryGetValue(key, out var old);
        if (type == WatchEventType.Deleted || !Includes(item))
        {
            if (!had || !_items.TryRemove(key, out _))
            {
                return;
            }

            Notify(old, default);
        }
        else
        {
            var projected = _project(item);
            _items[key] = projected;
            Notify(had ? old : default, projected);
        }

        Raise(Changed);
    }

    private void Notify(TIndexed? old, TIndexed? current)
    {
        if (ItemChanged is not { } handlers)
        {
            return;
        }

        foreach (var handler in handlers.GetInvocationList().Cast<Action<TIndexed?, TIndexed?>>())
        {
            try
            {
                handler(old, current);
            }
            catch (Exception ex)
            {
                _logger.LogError(ex, "A {Kind} change handler failed; the other handlers still got the change", Kind);
            }
        }
    }

    private void Raise(Action? handlers)
    {
        foreach (var handler in handlers?.GetInvocationList().Cast<Action>() ?? [])
        {
            try
            {
                handler();
            }
            catch (Exception ex)
            {
                _logger.LogError(ex, "A {Kind} handler failed; the other handlers still ran", Kind);
            }
        }
    }
}
