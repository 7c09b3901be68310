using System.Diagnostics.Metrics;
using Studio.Infrastructure.Live;

namespace Studio.Web.Hubs;

/// <summary>
/// The live hub's instruments, on the live module's meter (<see cref="LiveMetrics.MeterName"/>): messages serialized
/// (one per batch or snapshot per protocol in use, however many connections), hand-offs of a batch to a pump's
/// connections and their duration, connections that fell behind and the catch-up snapshots they got, and gauges of the
/// hub's subscriptions and shared pumps.
/// </summary>
public sealed class LiveHubMetrics
{
    public const string Serializations = "studio.live.hub.serializations";
    public const string Deliveries = "studio.live.hub.delivery.duration";
    public const string FellBehind = "studio.live.hub.fell_behind";
    public const string CatchUps = "studio.live.hub.catch_ups";
    public const string Subscriptions = "studio.live.hub.subscriptions";
    public const string Pumps = "studio.live.hub.pumps";

    private readonly Counter<long> _serializations;
    private readonly Histogram<double> _deliveries;
    private readonly Counter<long> _fellBehind;
    private readonly Counter<long> _catchUps;

    public LiveHubMetrics(LiveMetrics live)
    {
        var meter = live.Meter;
        _serializations = meter.CreateCounter<long>(Serializations, "{message}", "Live hub messages serialized (once per batch and protocol, shared by every connection).");
        _deliveries = meter.CreateHistogram<double>(Deliveries, "ms", "Time to hand one batch (or resync snapshot) to every connection of a shared pump.");
        _fellBehind = meter.CreateCounter<long>(FellBehind, "{connection}", "Times a connection's writes fell behind (its batches are skipped until it catches up).");
        _catchUps = meter.CreateCounter<long>(CatchUps, "{snapshot}", "Snapshots sent to connections that had fallen behind, once they caught up.");
        Meter = meter;
    }

    internal System.Diagnostics.Metrics.Meter Meter { get; }

    internal void Serialized() => _serializations.Add(1);

    internal void Delivered(TimeSpan took) => _deliveries.Record(took.TotalMilliseconds);

    internal void FellBehindOnce() => _fellBehind.Add(1);

    internal void CaughtUp() => _catchUps.Add(1);
}
