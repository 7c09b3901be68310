using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Diagnostics.Tracing;

namespace Studio.Pages.Bench;

/// <summary>
/// Free buffers the process's two byte pools hold: <see cref="ArrayPool{T}.Shared"/> for bytes (followed through
/// <c>System.Buffers.ArrayPoolEventSource</c>: a returned array is pooled until it is rented, trimmed or dropped) and the
/// servers' pinned block pool (ASP.NET Core's <c>aspnetcore.memory_pool.pooled</c>, bytes pooled and available). Both
/// keep what they lent out for reuse, so the managed heap after a burst of render batches includes buffers that no
/// circuit holds; the pools cap them (per bucket and core), not the number of circuits. Counted from the moment this
/// starts: compare two readings, not one.
/// </summary>
internal sealed class PoolCensus : EventListener
{
    private const int Rented = 1;
    private const int Returned = 3;
    private const int Trimmed = 4;
    private const int Dropped = 6;

    private readonly int _bytePool = ArrayPool<byte>.Shared.GetHashCode();
    private readonly ConcurrentDictionary<int, int> _pooled = new();
    private readonly MeterListener _meters = new();
    private long _serverPool;

    public PoolCensus()
    {
        _meters.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument is { Meter.Name: "Microsoft.AspNetCore.MemoryPool", Name: "aspnetcore.memory_pool.pooled" })
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _meters.SetMeasurementEventCallback<long>((_, delta, _, _) => Interlocked.Add(ref _serverPool, delta));
        _meters.Start();
    }

    /// <summary>Bytes in free arrays of the shared byte array pool (arrays returned since the census started).</summary>
    public long ArrayPoolBytes => _pooled.Values.Sum(v => (long)v);

    /// <summary>Bytes pooled and available in the servers' pinned block pool (change since the census started).</summary>
    public long ServerPoolBytes => Interlocked.Read(ref _serverPool);

    public long Total => ArrayPoolBytes + ServerPoolBytes;

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == "System.Buffers.ArrayPoolEventSource")
        {
            EnableEvents(eventSource, EventLevel.Verbose);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        // Payload: bufferId, bufferSize, poolId, ... (the same order in the four events).
        if (eventData.Payload is not { Count: >= 3 } payload || payload[2] is not int pool || pool != _bytePool || payload[0] is not int id)
        {
            return;
        }

        switch (eventData.EventId)
        {
            case Returned:
                _pooled[id] = payload[1] is int size ? size : 0;
                break;
            case Rented or Trimmed or Dropped:
                _pooled.TryRemove(id, out _);
                break;
        }
    }

    public override void Dispose()
    {
        _meters.Dispose();
        base.Dispose();
    }
}
