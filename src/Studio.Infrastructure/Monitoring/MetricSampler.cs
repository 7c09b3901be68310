using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Studio.Domain.Clusters;
using Studio.Infrastructure.Kubernetes.Inventory;
using Studio.Infrastructure.Leadership;
using Studio.Infrastructure.Persistence;

namespace Studio.Infrastructure.Monitoring;

/// <summary>
/// Samples every registered cluster's shared inventory into <see cref="MetricSample"/> rows every
/// <see cref="MonitoringOptions.SampleInterval"/> (reading the in-memory informers, never the cluster), and deletes rows
/// older than <see cref="MonitoringOptions.Retention"/>. Runs on the replica that leads (<see cref="ILeadership"/>) and
/// holds one inventory lease per cluster while it does.
/// </summary>
public sealed class MetricSampler(
    IDbContextFactory<StudioDbContext> contexts,
    InventoryRegistry inventories,
    IOptions<MonitoringOptions> options,
    ILeadership leadership,
    TimeProvider clock,
    ILogger<MetricSampler> logger) : BackgroundService
{
    private readonly Dictionary<Guid, InventoryLease> _leases = [];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            CancellationToken term;
            try
            {
                term = await leadership.WaitForTermAsync(stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            using var both = CancellationTokenSource.CreateLinkedTokenSource(term, stoppingToken);
            await SampleWhileLeadingAsync(both.Token);
        }
    }

    private async Task SampleWhileLeadingAsync(CancellationToken term)
    {
        try
        {
            using var timer = new PeriodicTimer(options.Value.SampleInterval, clock);
            do
            {
                try
                {
                    await SampleOnceAsync(term);
                    await PruneAsync(term);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    logger.LogWarning(ex, "Sampling cluster metrics failed; trying again in {Interval}", options.Value.SampleInterval);
                }
            }
            while (await timer.WaitForNextTickAsync(term));
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            foreach (var lease in _leases.Values)
            {
                lease.Dispose();
            }

            _leases.Clear();
        }
    }

    /// <summary>
    /// Writes one sample per pool and one total per synced cluster; returns the rows written. A cluster that another
    /// studio replica (sharing this database) sampled within the last half interval is skipped, so the history does not
    /// get a second point per interval for every replica.
    /// </summary>
    public async Task<int> SampleOnceAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var now = clock.GetUtcNow();
        var since = now - (options.Value.SampleInterval / 2);
        var sampledRecently = (await db.MetricSamples.AsNoTracking()
            .Where(s => s.Pool == MetricSample.ClusterTotal && s.At > since)
            .Select(s => s.ClusterId)
            .ToListAsync(cancellationToken)).ToHashSet();
        var clusterIds = await db.Clusters.AsNoTracking().Select(c => c.Id).ToListAsync(cancellationToken);
        foreach (var gone in _leases.Keys.Except(clusterIds).ToList())
        {
            _leases[gone].Dispose();
            _leases.Remove(gone);
        }

        var rows = new List<MetricSample>();
        foreach (var id in clusterIds)
        {
            if (!_leases.TryGetValue(id, out var lease))
            {
                var acquired = await inventories.AcquireAsync(id, cancellationToken);
                if (!acquired.IsSuccess)
                {
                    continue;
                }

                _leases[id] = lease = acquired.Value;
            }

            if (!sampledRecently.Contains(id) && lease.Inventory.FirstSync.IsCompletedSuccessfully && lease.Inventory.Health.State == InformerState.Synced)
            {
                rows.AddRange(Sample(lease.Inventory, now));
            }
        }

        db.MetricSamples.AddRange(rows);
        await db.SaveChangesAsync(cancellationToken);
        return rows.Count;
    }

    /// <summary>Deletes samples older than the retention; returns how many.</summary>
    public async Task<int> PruneAsync(CancellationToken cancellationToken)
    {
        var cutoff = clock.GetUtcNow() - options.Value.Retention;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.MetricSamples.Where(s => s.At < cutoff).ExecuteDeleteAsync(cancellationToken);
    }

    /// <summary>The rows for one cluster at <paramref name="at"/>, from its inventory.</summary>
    public static IReadOnlyList<MetricSample> Sample(ClusterInventory inventory, DateTimeOffset at)
    {
        var nodes = inventory.Nodes.Snapshot();
        var poolOf = nodes.ToDictionary(n => n.Name, n => n.Pool, StringComparer.Ordinal);
        var capacity = inventory.Capacity().ToDictionary(c => c.Node, StringComparer.Ordinal);
        var rows = nodes.GroupBy(n => n.Pool, StringComparer.Ordinal).ToDictionary(
            g => g.Key,
            g =>
            {
                var caps = g.Select(n => capacity[n.Name]).ToList();
                var allocatable = NodeCapacity.TotalAllocatable(caps);
                var requested = NodeCapacity.TotalRequested(caps);
                return new MetricSample
                {
                    ClusterId = inventory.ClusterId,
                    Pool = g.Key,
                    At = at,
                    Nodes = g.Count(),
                    ReadyNodes = g.Count(n => n.Ready),
                    CpuAllocatableMillis = allocatable.CpuMillis,
                    CpuRequestedMillis = requested.CpuMillis,
                    MemoryAllocatableBytes = allocatable.MemoryBytes,
                    MemoryRequestedBytes = requested.MemoryBytes,
                    GpusAllocatable = allocatable.Gpus,
                    GpusRequested = requested.Gpus,
                };
            },
            StringComparer.Ordinal);
        var total = new MetricSample
        {
            ClusterId = inventory.ClusterId,
            Pool = MetricSample.ClusterTotal,
            At = at,
            Nodes = rows.Values.Sum(r => r.Nodes),
            ReadyNodes = rows.Values.Sum(r => r.ReadyNodes),
            CpuAllocatableMillis = rows.Values.Sum(r => r.CpuAllocatableMillis),
            CpuRequestedMillis = rows.Values.Sum(r => r.CpuRequestedMillis),
            MemoryAllocatableBytes = rows.Values.Sum(r => r.MemoryAllocatableBytes),
            MemoryRequestedBytes = rows.Values.Sum(r => r.MemoryRequestedBytes),
            GpusAllocatable = rows.Values.Sum(r => r.GpusAllocatable),
            GpusRequested = rows.Values.Sum(r => r.GpusRequested),
        };
        // Phases come from the inventory's per-node index (kept as pods change): O(nodes), not a pass over every pod.
        foreach (var (node, phases) in inventory.PodPhases())
        {
            Count(total, phases);
            if (node.Length > 0 && poolOf.TryGetValue(node, out var pool))
            {
                Count(rows[pool], phases);
            }
            else
            {
                total.Queued += phases.Pending;
            }
        }

        return [total, .. rows.Values.OrderBy(r => r.Pool, StringComparer.Ordinal)];
    }

    private static void Count(MetricSample sample, PodPhaseCounts phases)
    {
        sample.PodsRunning += phases.Running;
        sample.PodsSucceeded += phases.Succeeded;
        sample.PodsFailed += phases.Failed;
        sample.PodsPending += phases.Pending;
    }

    public override void Dispose()
    {
        foreach (var lease in _leases.Values)
        {
            lease.Dispose();
        }

        _leases.Clear();
        base.Dispose();
    }
}
