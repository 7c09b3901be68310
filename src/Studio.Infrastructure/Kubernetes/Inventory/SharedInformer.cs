using System.Collections.Concurrent;
using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Studio.Infrastructure.Kubernetes.Inventory;

/// <summary>
/// One list+watch of one kind on one cluster, shared by every reader in the process. Keeps slim projections keyed by
/// namespace/name; relists on 410 Gone, restarts a closed watch from the last resourceVersion with jittered backoff,
/// passes <c>onError</c> to every watch, and treats resourceVersion as opaque. While it cannot keep its watch, it is
/// <see cref="InformerState.Degraded"/> and keeps serving the last state it saw.
/// </summary>
public sealed class SharedInformer<TObject, TProjection> : ISharedInformer, IInformer<TProjection>
    where TObject : IKubernetesObject<V1ObjectMeta>
{
    private readonly ConcurrentDictionary<string, TProjection> _items = new(StringComparer.Ordinal);
    private readonly ListPage _list;
    private readonly WatchFrom _watch;
    private readonly Func<TObject, TProjection> _project;
    private readonly ILogger _logger;
    private readonly TimeProvider _clock;
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _firstSync = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<IIndexFeed<TObject>> _indexes = [];
    private Task? _loop;
    private InformerHealth _health;
    private CancellationTokenSource? _attempt;
    private int _restart;

    public SharedInformer(string kind, ListPage list, WatchFrom watch, Func<TObject, TProjection> project, ILogger logger, TimeProvider clock)
    {
        Kind = kind;
        _list = list;
        _watch = watch;
        _project = project;
        _logger = logger;
        _clock = clock;
        _health = new InformerHealth(InformerState.Syncing, clock.GetUtcNow(), null, null);
    }

    /// <summary>Lists one page: items, the continue token (null on the last page) and the list's resourceVersion.</summary>
    public delegate Task<(IList<TObject> Items, string? Continue, string? ResourceVersion)> ListPage(string? continueToken, CancellationToken cancellationToken);

    /// <summary>Watches from a resourceVersion; errors the server sends in the stream go to <paramref name="onError"/>.</summary>
    public delegate IAsyncEnumerable<(WatchEventType Type, TObject Object)> WatchFrom(string resourceVersion, Action<Exception> onError, CancellationToken cancellationToken);

    public string Kind { get; }

    public InformerHealth Health => _health;

    public int Count => _items.Count;

    /// <summary>Raised after each applied change (or relist), off the watch thread's hot path: handlers must be quick.</summary>
    public event Action? Changed;

    /// <summary>Raised for each applied watch event with the old and new projection (null when absent), before <see cref="Changed"/>.</summary>
    public event Action<TProjection?, TProjection?>? ItemChanged;

    /// <summary>Raised after a full relist replaced the state, before <see cref="Changed"/>; derived indexes rebuild here.</summary>
    public event Action? Relisted;

    /// <summary>Completes after the first full list.</summary>
    public Task FirstSync => _firstSync.Task;

    public IReadOnlyCollection<TProjection> Snapshot() => [.. _items.Values];

    public bool TryGet(string key, out TProjection? value) => _items.TryGetValue(key, out value);

    public void Start() => _loop ??= Task.Run(() => RunAsync(_stop.Token));

    /// <summary>
    /// Adds an index of the objects that carry <paramref name="label"/>, kept with their own projection from this
    /// informer's list and watch (no second watch). Add before <see cref="Start"/>.
    /// </summary>
    public InformerIndex<TObject, TIndexed> AddLabelIndex<TIndexed>(string kind, string label, Func<TObject, TIndexed> project)
    {
        if (_loop is not null)
        {
            throw new InvalidOperationException($"The {Kind} informer has started: add the {kind} index before it starts.");
        }

        var index = new InformerIndex<TObject, TIndexed>(kind, label, project, () => _health, _firstSync.Task, _logger);
        _indexes.Add(index);
        return index;
    }

    /// <summary>
    /// Drops the current list or watch and starts over with a full list (the source behind the list and watch delegates
    /// changed, e.g. new credentials or a new address). Items stay until the new list replaces them.
    /// </summary>
    public void Restart()
    {
        Volatile.Write(ref _restart, 1);
        try
        {
            Volatile.Read(ref _attempt)?.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // That attempt just ended; the loop sees the flag before its next one.
        }
    }

    private async Task RunAsync(CancellationToken stopping)
    {
        var failures = 0;
        string? resourceVersion = null;
        while (!stopping.IsCancellationRequested)
        {
            using var attempt = CancellationTokenSource.CreateLinkedTokenSource(stopping);
            Volatile.Write(ref _attempt, attempt);
            if (Interlocked.Exchange(ref _restart, 0) == 1)
            {
                resourceVersion = null;
                failures = 0;
            }

            var cancellationToken = attempt.Token;
            try
            {
                resourceVersion ??= await RelistAsync(cancellationToken);
                failures = 0;
                var gone = false;
                Exception? streamError = null;
                await foreach (var (type, item) in _watch(resourceVersion, e =>
                {
                    if (e is KubernetesException { Status.Code: (int)HttpStatusCode.Gone } or HttpOperationException { Response.StatusCode: HttpStatusCode.Gone })
                    {
                        gone = true;
                    }
                    else
                    {
                        streamError = e;
                    }
                }, cancellationToken))
                {
                    if (streamError is not null)
                    {
                        // An event the stream could not deliver (a line that did not parse, a server ERROR) is gone for
                        // good, and the events after it would move our resourceVersion past it: stop here and relist.
                        break;
                    }

                    if (type != WatchEventType.Bookmark)
                    {
                        Apply(type, item);
                    }

                    // Only after the event is applied: a restart replays from the last one we really hold.
                    resourceVersion = item.Metadata?.ResourceVersion ?? resourceVersion;
                }

                if (gone)
                {
                    _logger.LogInformation("{Kind} watch expired (410 Gone); relisting", Kind);
                    resourceVersion = null;
                }
                else if (streamError is not null)
                {
                    _logger.LogWarning("{Kind} watch reported an error in its stream; relisting so no change is lost: {Problem}", Kind, ClusterProblems.Describe(streamError));
                    resourceVersion = null;
                    throw streamError;
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception) when (Volatile.Read(ref _restart) == 1)
            {
                // Restarted: whatever the old source's request ended with, start over from a list at once.
                continue;
            }
            catch (Exception ex) when (IsGone(ex))
            {
                resourceVersion = null;
            }
            catch (Exception ex)
            {
                failures++;
                SetHealth(InformerState.Degraded, ClusterProblems.Describe(ex));
                _logger.LogWarning("{Kind} list/watch failed ({Failures} in a row): {Problem}", Kind, failures, _health.Problem);
                if (failures > 1)
                {
                    // Something is wrong for longer than one blip: start over from a fresh list.
                    resourceVersion = null;
                }

                try
                {
                    await Task.Delay(Backoff(failures), _clock, cancellationToken);
                }
                catch (OperationCanceledException) when (!stopping.IsCancellationRequested)
                {
                    // Restarted during the back-off.
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private async Task<string> RelistAsync(CancellationToken cancellationToken)
    {
        var fresh = new Dictionary<string, TProjection>(StringComparer.Ordinal);
        string? continueToken = null;
        string? resourceVersion = null;
        foreach (var index in _indexes)
        {
            index.BeginRelist();
        }

        do
        {
            var (items, next, rv) = await _list(continueToken, cancellationToken);
            resourceVersion ??= rv;
            foreach (var item in items)
            {
                var key = Key(item.Metadata);
                fresh[key] = _project(item);
                foreach (var index in _indexes)
                {
                    index.Stage(key, item);
                }
            }

            continueToken = string.IsNullOrEmpty(next) ? null : next;
        }
        while (continueToken is not null);

        foreach (var key in _items.Keys.Where(k => !fresh.ContainsKey(k)).ToList())
        {
            _items.TryRemove(key, out _);
        }

        foreach (var (key, value) in fresh)
        {
            _items[key] = value;
        }

        Raise(Relisted, "Relisted");
        SetHealth(InformerState.Synced, null);
        _firstSync.TrySetResult();
        foreach (var index in _indexes)
        {
            index.CommitRelist();
        }

        Raise(Changed, "Changed");
        return resourceVersion ?? "0";
    }

    private void Apply(WatchEventType type, TObject item)
    {
        var key = Key(item.Metadata);
        _items.TryGetValue(key, out var old);
        if (type == WatchEventType.Deleted)
        {
            _items.TryRemove(key, out _);
            Notify(old, default);
        }
        else if (type is WatchEventType.Added or WatchEventType.Modified)
        {
            var projected = _project(item);
            _items[key] = projected;
            Notify(old, projected);
        }
        else
        {
            return;
        }

        foreach (var index in _indexes)
        {
            index.Apply(type, key, item);
        }

        if (_health.State != InformerState.Synced)
        {
            SetHealth(InformerState.Synced, null);
        }

        Raise(Changed, "Changed");
    }

    /// <summary>
    /// Calls every <see cref="ItemChanged"/> handler, each on its own: one that throws is logged and must not keep the
    /// others (or the informer's own state) from seeing the change.
    /// </summary>
    private void Notify(TProjection? old, TProjection? current)
    {
        if (ItemChanged is not { } handlers)
        {
            return;
        }

        foreach (var handler in handlers.GetInvocationList().Cast<Action<TProjection?, TProjection?>>())
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

    private void Raise(Action? handlers, string name)
    {
        if (handlers is null)
        {
            return;
        }

        foreach (var handler in handlers.GetInvocationList().Cast<Action>())
        {
            try
            {
                handler();
            }
            catch (Exception ex)
            {
                _logger.LogError(ex, "A {Kind} {Event} handler failed; the other handlers still ran", Kind, name);
            }
        }
    }

    private void SetHealth(InformerState state, string? problem)
    {
        var now = _clock.GetUtcNow();
        var since = _health.State == state ? _health.Since : now;
        var changed = _health.State != state || _health.Problem != problem;
        _health = new InformerHealth(state, since, problem, state == InformerState.Synced ? now : _health.LastSyncedAt);
        if (changed && state == InformerState.Degraded)
        {
            // Pages show the state change (and that what they show is now stale).
            Raise(Changed, "Changed");
        }
    }

    private static bool IsGone(Exception ex) =>
        ex is HttpOperationException { Response.StatusCode: HttpStatusCode.Gone } or KubernetesException { Status.Code: (int)HttpStatusCode.Gone };

    private static TimeSpan Backoff(int failures) =>
        TimeSpan.FromMilliseconds(Math.Min(30_000, 200 * Math.Pow(2, Math.Min(failures, 8))) + Random.Shared.Next(0, 250));

    internal static string Key(V1ObjectMeta metadata) => string.IsNullOrEmpty(metadata.NamespaceProperty) ? metadata.Name : $"{metadata.NamespaceProperty}/{metadata.Name}";

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_loop is not null)
        {
            try
            {
                await _loop;
            }
            catch (OperationCanceledException)
            {
            }
        }

        _stop.Dispose();
    }
}
