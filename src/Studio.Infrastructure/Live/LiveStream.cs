namespace Studio.Infrastructure.Live;

/// <summary>
/// One live subscription, the module's single contract: the scope's state when it began (<see cref="Snapshot"/>), then
/// <see cref="Batches"/> — changes coalesced per object, at most one batch per window; a batch with
/// <see cref="LiveBatch{T}.IsSnapshot"/> replaces the whole state (the subscriber fell behind or the source relisted).
/// Registration happens before the snapshot is taken, so no change falls between the two (one may come twice: upserts
/// are idempotent). Disposing unsubscribes and releases what the subscription held (inventory leases).
/// </summary>
public sealed class LiveStream<T> : IAsyncDisposable
    where T : class
{
    private readonly IAsyncEnumerator<LiveBatch<T>> _enumerator;
    private readonly CancellationTokenSource _stop;
    private readonly Action? _ended;
    private int _disposed;
    private int _read;

    private LiveStream(IReadOnlyList<LiveChange<T>> snapshot, IAsyncEnumerator<LiveBatch<T>> enumerator, CancellationTokenSource stop, Action? ended)
    {
        Snapshot = snapshot;
        _enumerator = enumerator;
        _stop = stop;
        _ended = ended;
    }

    /// <summary>The state of the scope when the subscription began.</summary>
    public IReadOnlyList<LiveChange<T>> Snapshot { get; }

    /// <summary>The batches after <see cref="Snapshot"/>; can be enumerated once. Ends when the stream is disposed.</summary>
    public IAsyncEnumerable<LiveBatch<T>> Batches => Interlocked.Exchange(ref _read, 1) == 0
        ? ReadAsync()
        : throw new InvalidOperationException("The batches of a live stream can be read once.");

    /// <summary>
    /// Opens a stream over <paramref name="batches"/> (whose first batch is the snapshot), cancelled by disposing it or
    /// by <paramref name="cancellationToken"/>; <paramref name="ended"/> runs once when it is disposed.
    /// </summary>
    public static async Task<LiveStream<T>> OpenAsync(Func<CancellationToken, IAsyncEnumerable<LiveBatch<T>>> batches, Action? ended, CancellationToken cancellationToken)
    {
        var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var enumerator = batches(stop.Token).GetAsyncEnumerator(stop.Token);
        try
        {
            if (!await enumerator.MoveNextAsync())
            {
                throw new InvalidOperationException("A live source ended before its snapshot.");
            }
        }
        catch
        {
            await enumerator.DisposeAsync();
            stop.Dispose();
            ended?.Invoke();
            throw;
        }

        return new LiveStream<T>(enumerator.Current.Changes, enumerator, stop, ended);
    }

    private async IAsyncEnumerable<LiveBatch<T>> ReadAsync()
    {
        while (true)
        {
            bool more;
            try
            {
                more = await _enumerator.MoveNextAsync();
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                yield break;
            }

            if (!more)
            {
                yield break;
            }

            yield return _enumerator.Current;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _stop.CancelAsync();
        try
        {
            await _enumerator.DisposeAsync();
            _stop.Dispose();
        }
        catch (Exception ex) when (ex is NotSupportedException or InvalidOperationException)
        {
            // A reader is still inside MoveNextAsync: the cancellation ends it, and the source unregisters as it unwinds.
        }

        _ended?.Invoke();
    }
}
