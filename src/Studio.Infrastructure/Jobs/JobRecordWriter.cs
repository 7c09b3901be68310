using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Studio.Infrastructure.Persistence;

namespace Studio.Infrastructure.Jobs;

/// <summary>
/// Writes submitted job records in batches: concurrent submits queue their inserts (the record and its audit line) and
/// one loop saves everything queued in one transaction, so a burst costs one commit rather than one per job. Each caller
/// learns its own outcome: when a batch fails (say one insert lost the unique name to a concurrent retry), its inserts
/// are saved again one by one and only the failing one sees the exception.
/// </summary>
public sealed class JobRecordWriter(IDbContextFactory<StudioDbContext> contexts) : IAsyncDisposable, IDisposable
{
    /// <summary>Most inserts saved in one transaction.</summary>
    public const int MaxBatch = 128;

    private readonly Channel<Insert> _queue = Channel.CreateUnbounded<Insert>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Lock _start = new();
    private Task? _loop;

    /// <summary>
    /// Saves what <paramref name="add"/> adds to a unit of work (shared with other submits), once it is durable; throws
    /// what its own save threw (e.g. a <see cref="DbUpdateException"/> for a duplicate). Domain events of the added
    /// entities are dispatched after the save, as for any save.
    /// </summary>
    public Task WriteAsync(Action<StudioDbContext> add, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(add);
        cancellationToken.ThrowIfCancellationRequested();
        var insert = new Insert(add, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        EnsureStarted();
        if (!_queue.Writer.TryWrite(insert))
        {
            throw new ObjectDisposedException(nameof(JobRecordWriter));
        }

        // The caller may stop waiting; the insert is written anyway (a submit's record is never half-written).
        return insert.Done.Task.WaitAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        if (_loop is { } loop)
        {
            await loop.ConfigureAwait(false);
        }
    }

    /// <summary>Takes no more inserts; the queued ones are still written by the loop.</summary>
    public void Dispose() => _queue.Writer.TryComplete();

    private void EnsureStarted()
    {
        if (_loop is not null)
        {
            return;
        }

        lock (_start)
        {
            _loop ??= Task.Run(LoopAsync);
        }
    }

    private async Task LoopAsync()
    {
        var batch = new List<Insert>(MaxBatch);
        while (await _queue.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            batch.Clear();
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var insert))
            {
                batch.Add(insert);
            }

            try
            {
                await SaveAsync(batch).ConfigureAwait(false);
                foreach (var insert in batch)
                {
                    insert.Done.TrySetResult();
                }
            }
            catch (Exception) when (batch.Count > 1)
            {
                foreach (var insert in batch)
                {
                    await SaveAloneAsync(insert).ConfigureAwait(false);
                }
            }
            catch (Exception e)
            {
                batch[0].Done.TrySetException(e);
            }
        }
    }

    private async Task SaveAsync(IReadOnlyList<Insert> batch)
    {
        await using var db = contexts.CreateDbContext();
        foreach (var insert in batch)
        {
            insert.Add(db);
        }

        await db.SaveChangesAsync(CancellationToken.None).ConfigureAwait(false);
    }

    private async Task SaveAloneAsync(Insert insert)
    {
        try
        {
            await SaveAsync([insert]).ConfigureAwait(false);
            insert.Done.TrySetResult();
        }
        catch (Exception e)
        {
            insert.Done.TrySetException(e);
        }
    }

    private sealed record Insert(Action<StudioDbContext> Add, TaskCompletionSource Done);
}
