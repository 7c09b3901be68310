namespace Studio.Sandbox.Storage;

/// <summary>
/// Which resourceVersions etcd would have compacted away. A real API server asks etcd to compact every five minutes
/// (<c>--etcd-compaction-interval</c>) up to the revision that was current one round earlier, so a revision stays readable
/// for at least that long after a newer one is written, however many writes happen meanwhile: a slow client paging a big
/// list under churn finishes there. The sandbox records the first write of every second and treats a revision as
/// compacted once a newer one was written more than <see cref="Interval"/> ago. Not thread-safe: the store calls it under
/// its lock.
/// </summary>
internal sealed class CompactionWindow
{
    private readonly Queue<(long AtMs, long ResourceVersion)> _checkpoints = new();
    private long _lastCheckpointMs = long.MinValue / 2;
    private long _compactedBelow;

    public CompactionWindow(TimeSpan interval)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(interval, TimeSpan.Zero);
        Interval = interval;
    }

    public TimeSpan Interval { get; }

    /// <summary>A write committed <paramref name="resourceVersion"/> at <paramref name="nowMs"/> (monotonic milliseconds).</summary>
    public void Written(long resourceVersion, long nowMs)
    {
        if (nowMs - _lastCheckpointMs >= 1000)
        {
            _checkpoints.Enqueue((nowMs, resourceVersion));
            _lastCheckpointMs = nowMs;
        }
    }

    /// <summary>Compacts everything before <paramref name="resourceVersion"/> now (fault injection: the history is gone).</summary>
    public void CompactBelow(long resourceVersion) => _compactedBelow = Math.Max(_compactedBelow, resourceVersion);

    /// <summary>The oldest resourceVersion still readable at <paramref name="nowMs"/>: anything below it is compacted.</summary>
    public long OldestReadable(long nowMs)
    {
        var horizon = nowMs - (long)Interval.TotalMilliseconds;
        while (_checkpoints.TryPeek(out var c) && c.AtMs <= horizon)
        {
            _checkpoints.Dequeue();
            // Written at c.AtMs: every older revision was superseded by then.
            _compactedBelow = Math.Max(_compactedBelow, c.ResourceVersion);
        }

        return _compactedBelow;
    }
}
