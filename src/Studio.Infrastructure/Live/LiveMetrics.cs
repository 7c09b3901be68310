using System.Diagnostics.Metrics;

namespace Studio.Infrastructure.Live;

/// <summary>
/// The live module's instruments on the meter <see cref="MeterName"/> (<c>Studio.Live</c>), read by OpenTelemetry (the
/// studio registers <c>Studio.*</c> meters) and by benches and tests (a <see cref="MeterListener"/>): subscriptions
/// opened and ended, batches and snapshots handed to subscribers, subscribers that fell behind, and the shared
/// per-cluster view's recomputations and their duration.
/// </summary>
public sealed class LiveMetrics
{
    public const string MeterName = "Studio.Live";

    private readonly Counter<long> _subscriptions;
    private readonly Counter<long> _unsubscriptions;
    private readonly Counter<long> _batches;
    private readonly Counter<long> _resyncs;
    private readonly Histogram<double> _viewDuration;

    public LiveMetrics(IMeterFactory meters)
    {
        Meter = meters.Create(MeterName);
        _subscriptions = Meter.CreateCounter<long>("studio.live.subscriptions.opened", "{subscription}", "Live subscriptions opened (pages, the hub's pumps, relays).");
        _unsubscriptions = Meter.CreateCounter<long>("studio.live.subscriptions.ended", "{subscription}", "Live subscriptions ended.");
        _batches = Meter.CreateCounter<long>("studio.live.batches", "{batch}", "Coalesced batches handed to live subscribers (snapshots included).");
        _resyncs = Meter.CreateCounter<long>("studio.live.resyncs", "{snapshot}", "Fresh snapshots sent instead of a backlog: the subscriber fell behind or its source relisted.");
        _viewDuration = Meter.CreateHistogram<double>("studio.live.cluster_view.duration", "ms", "Time to compute one shared per-cluster view (once per batch for every page).");
    }

    /// <summary>The meter (<see cref="MeterName"/>) of this container; the hub adds its instruments to it.</summary>
    public Meter Meter { get; }

    internal void Subscribed() => _subscriptions.Add(1);

    internal void Unsubscribed() => _unsubscriptions.Add(1);

    internal void Batch(bool snapshot, bool resync)
    {
        _batches.Add(1, new KeyValuePair<string, object?>("snapshot", snapshot));
        if (resync)
        {
            _resyncs.Add(1);
        }
    }

    internal void ViewComputed(TimeSpan took) => _viewDuration.Record(took.TotalMilliseconds);
}
