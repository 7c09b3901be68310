using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Studio.Domain.Jobs;

namespace Studio.Infrastructure.Jobs;

/// <summary>The job tracker's terms: it leads (watches and writes) while this replica leads, and follows the leader otherwise.</summary>
public sealed partial class JobTracker
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        applies.Applied += OnApplied;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var leading = leadership.WaitForTermAsync(stoppingToken);
                if (!leading.IsCompleted)
                {
                    await FollowAsync(leading, stoppingToken).ConfigureAwait(false);
                }

                CancellationToken term;
                try
                {
                    term = await leading.ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }

                using var both = CancellationTokenSource.CreateLinkedTokenSource(term, stoppingToken);
                await LeadAsync(both.Token).ConfigureAwait(false);
            }
        }
        finally
        {
            applies.Applied -= OnApplied;
        }
    }

    /// <summary>Watches the clusters and writes what they say until <paramref name="term"/> ends (leadership lost, or shutdown).</summary>
    private async Task LeadAsync(CancellationToken term)
    {
        _leading = true;
        var processor = Task.Run(() => ProcessLoopAsync(term), CancellationToken.None);
        try
        {
            while (!term.IsCancellationRequested)
            {
                try
                {
                    await ScanAsync(term).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogWarning(e, "Job tracker scan failed");
                }

                await Task.Delay(Options.ScanInterval, clock, term).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            _leading = false;
            await processor.ConfigureAwait(false);
            await _refresh.WaitAsync(CancellationToken.None).ConfigureAwait(false);
            try
            {
                foreach (var watch in _watches.Values)
                {
                    watch.Dispose();
                }

                _watches.Clear();
            }
            finally
            {
                _refresh.Release();
            }

            while (_queue.Reader.TryRead(out var key))
            {
                _pending.TryRemove(key, out _);
            }
        }
    }

    /// <summary>
    /// Until this replica leads: every <see cref="JobTrackerOptions.FollowInterval"/>, publishes the records the leader
    /// (or a submit, a cancel on another replica) changed, so this replica's pages and hub clients see every change.
    /// </summary>
    private async Task FollowAsync(Task leading, CancellationToken stoppingToken)
    {
        // A record's UpdatedAt is set before its batch commits (and by another replica's clock): look back
        // FollowLookBack every time; what was published already is not published again.
        var since = clock.GetUtcNow() - Options.FollowLookBack;
        while (!leading.IsCompleted && !stoppingToken.IsCancellationRequested)
        {
            try
            {
                since = await PublishChangedElsewhereAsync(since, stoppingToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Reading the job changes of the leading replica failed");
            }

            await Task.WhenAny(leading, Task.Delay(Options.FollowInterval, clock, stoppingToken)).ConfigureAwait(false);
        }
    }

    /// <summary>Dispatches every record changed since <paramref name="since"/> that this replica has not published as it is; returns where to look from next time.</summary>
    private async Task<DateTimeOffset> PublishChangedElsewhereAsync(DateTimeOffset since, CancellationToken cancellationToken)
    {
        List<TrainingJob> changed;
        await using (var db = contexts.CreateDbContext())
        {
            changed = await db.Jobs.AsNoTracking().Where(j => j.UpdatedAt > since).ToListAsync(cancellationToken).ConfigureAwait(false);
        }

        var fresh = changed.Where(r => !_published.TryGetValue(r.Id, out var published) || published != r.UpdatedAt).OrderBy(r => r.UpdatedAt).ToList();
        foreach (var record in fresh)
        {
            _published[record.Id] = record.UpdatedAt;
        }

        await dispatcher.DispatchAsync([.. fresh.Select(r => r.Describe(JobChange.Elsewhere))], cancellationToken).ConfigureAwait(false);
        foreach (var (id, published) in _published)
        {
            if (clock.GetUtcNow() - published > Options.PublishedMemory)
            {
                _published.TryRemove(id, out _);
            }
        }

        return clock.GetUtcNow() - Options.FollowLookBack;
    }
}
