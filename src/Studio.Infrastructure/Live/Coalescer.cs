namespace Studio.Infrastructure.Live;

/// <summary>
/// Turns a burst of change signals into at most one callback per interval (about 100 ms), so a page renders once per
/// batch rather than once per watch event.
/// </summary>
public sealed class Coalescer(Func<Task> callback, TimeSpan interval) : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private int _pending;

    public void Signal()
    {
        if (Volatile.Read(ref _disposed) == 1 || Interlocked.Exchange(ref _pending, 1) == 1)
        {
            return;
        }

        _ = FlushAsync();
    }

    private async Task FlushAsync()
    {
        try
        {
            await Task.Delay(interval, _stop.Token);
            Interlocked.Exchange(ref _pending, 0);
            await callback();
        }
        catch (OperationCanceledException)
        {
        }
        catch (ObjectDisposedException)
        {
            // The component went away between the signal and the flush.
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _stop.Cancel();
            _stop.Dispose();
        }
    }

    private int _disposed;
}
