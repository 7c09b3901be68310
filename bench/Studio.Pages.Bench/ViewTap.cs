using System.Diagnostics;
using Studio.Infrastructure.Kubernetes.Inventory;
using Studio.Web.Model;

namespace Studio.Pages.Bench;

/// <summary>
/// A bench subscriber of the shared live view: records when it was called back with each view version. The shared view
/// calls its subscribers in subscription order, and a circuit's callback (<c>InvokeAsync(StateHasChanged)</c>) renders
/// inline when the circuit is idle, so a tap subscribed before the circuits and one subscribed after them bracket the
/// hand-off of one batch to every circuit: the time between the two is the circuits' render (and batch send) work.
/// </summary>
internal sealed class ViewTap : IDisposable
{
    private readonly Dictionary<long, long> _called = [];
    private readonly IDisposable _subscription;

    public ViewTap(LiveClusterViews views, ClusterInventory inventory)
    {
        _subscription = views.Subscribe(inventory, v =>
        {
            lock (_called)
            {
                _called.TryAdd(v.Version, Stopwatch.GetTimestamp());
            }

            return Task.CompletedTask;
        }, out _);
    }

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

    public void Dispose() => _subscription.Dispose();
}
