using System.Collections.Concurrent;
using Microsoft.AspNetCore.Components;
using Studio.Domain.Common;
using Studio.Infrastructure.Live;

namespace Studio.Web.Components.Controls;

/// <summary>
/// Base of components that show live data from the live module (<see cref="LiveFeed"/>): <see cref="FollowAsync{T}"/>
/// applies a subscription's snapshot at once, then reads its coalesced batches on a background loop, applying each on the
/// renderer's context and rendering at most once per batch (<c>InvokeAsync(StateHasChanged)</c>). Disposing the
/// component cancels every loop, awaits it and disposes its subscription (the Aspire Dashboard's pattern).
/// </summary>
public abstract class LiveComponent : StudioComponentBase, IAsyncDisposable
{
    private readonly CancellationTokenSource _live = new();
    private readonly List<(Task Loop, IAsyncDisposable Stream)> _follows = [];
    private readonly ConcurrentDictionary<Guid, LiveClusterView> _views = new();
    private readonly ConcurrentDictionary<Guid, string> _problems = new();
    private bool _disposed;

    /// <summary>The live module.</summary>
    [Inject]
    public required LiveFeed Feed { get; init; }

    /// <summary>Cancelled when the component goes away.</summary>
    protected CancellationToken LiveToken => _live.Token;

    /// <summary>Why a cluster's live view is not available (no credentials, ...), by cluster.</summary>
    protected IReadOnlyDictionary<Guid, string> LiveProblems => _problems;

    /// <summary>The latest shared view of a cluster followed with <see cref="FollowClusterViewsAsync"/> (null: not available).</summary>
    protected LiveClusterView? ClusterView(Guid clusterId) => _views.GetValueOrDefault(clusterId);

    /// <summary>
    /// Follows the shared views of clusters (not followed yet): <see cref="ClusterView"/> has each one's latest view at
    /// once, and after each later batch <paramref name="onBatch"/> runs (then one render). Nothing cluster-sized is copied
    /// per component.
    /// </summary>
    protected async Task FollowClusterViewsAsync(IEnumerable<Guid> clusterIds, Func<Task>? onBatch = null)
    {
        foreach (var id in clusterIds)
        {
            if (!_views.ContainsKey(id) && !_problems.ContainsKey(id))
            {
                await FollowClusterViewAsync(id, onBatch);
            }
        }
    }

    /// <summary>
    /// Follows one cluster's shared view (see <see cref="FollowClusterViewsAsync"/>); disposing the result stops it and
    /// forgets the view. Null when it cannot be followed (<see cref="LiveProblems"/> says why).
    /// </summary>
    protected async Task<IAsyncDisposable?> FollowClusterViewAsync(Guid clusterId, Func<Task>? onBatch = null)
    {
        _problems.TryRemove(clusterId, out _);
        var started = false;
        var (problem, follow) = await FollowAsync(Feed.SubscribeClusterViewAsync(clusterId, LiveToken), async batch =>
        {
            foreach (var change in batch.Changes)
            {
                _views[clusterId] = change.Value!;
            }

            if (started && onBatch is not null)
            {
                await onBatch();
            }
        });
        started = true;
        if (problem is not null)
        {
            _problems[clusterId] = problem;
        }

        return follow is null ? null : new Forgetting(follow, () => _views.TryRemove(clusterId, out _));
    }

    /// <summary>
    /// Follows a subscription: <paramref name="apply"/> gets its snapshot (as a batch with
    /// <see cref="LiveBatch{T}.IsSnapshot"/>) before this returns, then each batch on the renderer's context, followed by
    /// one render. Returns the subscription's problem (no access, cluster unreachable, ...), or null when it runs. Dispose
    /// the returned handle (or let the component's disposal do it) to stop following.
    /// </summary>
    protected async Task<(string? Problem, IAsyncDisposable? Follow)> FollowAsync<T>(Task<Result<LiveStream<T>>> subscribing, Func<LiveBatch<T>, Task> apply)
        where T : class
    {
        var subscribed = await subscribing;
        if (!subscribed.IsSuccess)
        {
            return (subscribed.Errors[0].Message, null);
        }

        var stream = subscribed.Value;
        if (_disposed)
        {
            await stream.DisposeAsync();
            return (null, null);
        }

        await apply(new LiveBatch<T>(true, stream.Snapshot));
        var follow = new Follow<T>(this, stream, apply);
        lock (_follows)
        {
            _follows.Add((follow.Loop, follow));
        }

        return (null, follow);
    }

    /// <summary>Disposes what the derived component holds, after every live loop ended.</summary>
    protected virtual ValueTask DisposeAsyncCore() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await _live.CancelAsync();
        (Task Loop, IAsyncDisposable Stream)[] follows;
        lock (_follows)
        {
            follows = [.. _follows];
            _follows.Clear();
        }

        foreach (var (_, stream) in follows)
        {
            await stream.DisposeAsync();
        }

        await DisposeAsyncCore();
        _live.Dispose();
        GC.SuppressFinalize(this);
    }

    private sealed class Forgetting(IAsyncDisposable follow, Action forget) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await follow.DisposeAsync();
            forget();
        }
    }

    private sealed class Follow<T> : IAsyncDisposable
        where T : class
    {
        private readonly LiveComponent _owner;
        private readonly LiveStream<T> _stream;
        private readonly CancellationTokenSource _stop;
        private int _disposed;

        public Follow(LiveComponent owner, LiveStream<T> stream, Func<LiveBatch<T>, Task> apply)
        {
            _owner = owner;
            _stream = stream;
            _stop = CancellationTokenSource.CreateLinkedTokenSource(owner._live.Token);
            Loop = Task.Run(() => ReadAsync(apply), CancellationToken.None);
        }

        public Task Loop { get; }

        private async Task ReadAsync(Func<LiveBatch<T>, Task> apply)
        {
            try
            {
                await foreach (var batch in _stream.Batches.WithCancellation(_stop.Token))
                {
                    if (_stop.IsCancellationRequested)
                    {
                        break;
                    }

                    await _owner.InvokeAsync(async () =>
                    {
                        if (!_stop.IsCancellationRequested)
                        {
                            await apply(batch);
                            _owner.StateHasChanged();
                        }
                    });
                }
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
            }
            catch (ObjectDisposedException)
            {
                // The circuit went away between the batch and the render.
            }
            catch (Exception ex)
            {
                await _owner.DispatchExceptionAsync(ex);
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 1)
            {
                return;
            }

            await _stop.CancelAsync();
            await _stream.DisposeAsync();
            try
            {
                await Loop;
            }
            catch (OperationCanceledException)
            {
            }

            _stop.Dispose();
            lock (_owner._follows)
            {
                _owner._follows.RemoveAll(f => ReferenceEquals(f.Stream, this));
            }
        }
    }
}
