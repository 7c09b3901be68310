using System.Diagnostics;
using Studio.Infrastructure.Kubernetes.Inventory;
using Studio.Infrastructure.Live;

namespace Studio.Pages.Bench;

/// <summary>
/// A bench subscriber of the shared live view (a live stream, as a page's): records when it received each view version,
/// and hands each view to an optional callback. Every subscriber reads its own stream, so a tap subscribed before the
/// circuits and one subscribed after them no longer bracket the circuits' renders in turn (they render on their own
/// loops): the time between the two is how far apart two subscribers of the same batch were served.
/// </summary>
internal sealed class ViewTap : IAsyncDisposable
{
    private readonly Dictionary<long, long> _called = [];
    private readonly LiveStream<LiveClusterView> _stream;
    private readonly Task _reading;

    private ViewTap(LiveStream<LiveClusterView> stream, Action<LiveClusterView>? onView)
    {
        _stream = stream;
        Current = stream.Snapshot.Single().Value!;
        _reading = Task.Run(async () =>
        {
            await foreach (var batch in stream.Batches)
            {
                foreach (var change in batch.Changes)
                {
                    var view = change.Value!;
                    lock (_called)
                    {
                        _called.TryAdd(view.Version, Stopwatch.GetTimestamp());
                    }

                    onView?.Invoke(view);
                }
            }
        });
    }

    /// <summary>The view when the tap subscribed.</summary>
    public LiveClusterView Current { get; }

    public static async Task<ViewTap> StartAsync(LiveClusterViews views, ClusterInventory inventory, Action<LiveClusterView>? onView = null) =>
        new(await views.SubscribeAsync(inventory, CancellationToken.None), onView);

    public void Clear()
    {
        lock (_called)
        {
            _called.Clear();
        }
    }

    /// <summary>For each view version both taps saw: the time from <paramref name="first"/>'s callback to <paramref name="last"/>'s (ms), sorted.</summary>
    public static List<double> Between(ViewTap first, ViewTap last) => [.. Slowest(first, last, int.MaxValue).Select(x => x.Ms).Order()];

    /// <summary>The <paramref name="count"/> slowest hand-offs: duration (ms) and when they began (s after the earliest one).</summary>
    public static List<(double Ms, double At)> Slowest(ViewTap first, ViewTap last, int count)
    {
        Dictionary<long, long> a, b;
        lock (first._called)
        {
            a = new(first._called);
        }

        lock (last._called)
        {
            b = new(last._called);
        }

        var start = a.Count > 0 ? a.Values.Min() : 0;
        return [.. a.Where(x => b.ContainsKey(x.Key))
            .Select(x => (Ms: Stopwatch.GetElapsedTime(x.Value, b[x.Key]).TotalMilliseconds, At: Stopwatch.GetElapsedTime(start, x.Value).TotalSeconds))
            .OrderByDescending(x => x.Ms)
            .Take(count)];
    }

    public async ValueTask DisposeAsync()
    {
        await _stream.DisposeAsync();
        await _reading;
    }
}
