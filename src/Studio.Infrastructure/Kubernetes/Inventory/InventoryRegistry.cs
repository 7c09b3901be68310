using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Studio.Domain.Common;

namespace Studio.Infrastructure.Kubernetes.Inventory;

/// <summary>
/// One <see cref="ClusterInventory"/> per cluster for the whole process: started on first use and kept while anything
/// uses it (and a grace period after), so that every page and browser shares one watch per (cluster, kind). Each new
/// inventory gets the informers and indexes of every registered <see cref="IInventoryContributor"/>.
/// </summary>
public sealed class InventoryRegistry(KubernetesClientFactory clients, ILoggerFactory loggers, TimeProvider clock, IEnumerable<IInventoryContributor> contributors) : IAsyncDisposable
{
    private readonly ConcurrentDictionary<Guid, Entry> _entries = new();
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly CancellationTokenSource _disposed = new();

    /// <summary>How long an unused inventory keeps watching before it stops.</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How often each inventory asks its API server for its version, and how long the answer may take (see <see cref="ClusterInventory.HeartbeatInterval"/>).</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <inheritdoc cref="HeartbeatInterval"/>
    public TimeSpan HeartbeatTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Uses the cluster's inventory until the lease is disposed.</summary>
    public async Task<Result<InventoryLease>> AcquireAsync(Guid clusterId, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (!_entries.TryGetValue(clusterId, out var entry))
            {
                var client = await clients.GetAsync(clusterId, cancellationToken);
                if (!client.IsSuccess)
                {
                    return Result<InventoryLease>.Failure(client.Errors);
                }

                entry = new Entry(new ClusterInventory(clusterId, client.Value, loggers, clock, contributors) { HeartbeatInterval = HeartbeatInterval, HeartbeatTimeout = HeartbeatTimeout });
                _entries[clusterId] = entry;
                entry.Inventory.Start();
            }

            entry.Leases++;
            entry.IdleSince = null;
            return Result<InventoryLease>.Ok(new InventoryLease(entry.Inventory, () => Release(clusterId)));
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The running inventory of a cluster, if something is using it.</summary>
    public ClusterInventory? Peek(Guid clusterId) => _entries.TryGetValue(clusterId, out var entry) ? entry.Inventory : null;

    /// <summary>
    /// The cluster's address or credentials changed (rotated, or the embedded sandbox restarted on a new port): the running
    /// inventory, if any, switches to a client built from the stored credentials and lists again. Every lease holder
    /// keeps following it; nobody is left on an inventory that no longer watches. Call after evicting the old client.
    /// </summary>
    public async Task ReconnectAsync(Guid clusterId, CancellationToken cancellationToken)
    {
        // Under the gate: an acquire that was building its client from the old credentials (e.g. the history sampler's
        // first sample while the embedded sandbox is being registered again at start) finishes first, and is moved here.
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (!_entries.TryGetValue(clusterId, out var entry))
            {
                return;
            }

            var client = await clients.GetAsync(clusterId, cancellationToken);
            if (client.IsSuccess)
            {
                entry.Inventory.Reconnect(client.Value);
            }
            else if (_entries.TryRemove(clusterId, out var removed))
            {
                await removed.Inventory.DisposeAsync();
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Stops and forgets a cluster's inventory now (cluster removed, or the host is stopping).</summary>
    public async Task ResetAsync(Guid clusterId)
    {
        if (_entries.TryRemove(clusterId, out var entry))
        {
            await entry.Inventory.DisposeAsync();
        }
    }

    private void Release(Guid clusterId)
    {
        if (!_entries.TryGetValue(clusterId, out var entry))
        {
            return;
        }

        lock (entry)
        {
            entry.Leases--;
            if (entry.Leases > 0)
            {
                return;
            }

            entry.IdleSince = clock.GetUtcNow();
        }

        _ = StopWhenIdleAsync(clusterId, entry);
    }

    private async Task StopWhenIdleAsync(Guid clusterId, Entry entry)
    {
        try
        {
            await Task.Delay(IdleTimeout, clock, _disposed.Token);
            await _gate.WaitAsync(_disposed.Token);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        try
        {
            if (entry.Leases == 0 && entry.IdleSince is { } idle && clock.GetUtcNow() - idle >= IdleTimeout && _entries.TryRemove(new KeyValuePair<Guid, Entry>(clusterId, entry)))
            {
                await entry.Inventory.DisposeAsync();
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Stops every inventory (the host is shutting down: stop watching before the clusters go away).</summary>
    public async Task StopAllAsync()
    {
        foreach (var id in _entries.Keys.ToList())
        {
            await ResetAsync(id);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed.IsCancellationRequested)
        {
            return;
        }

        await _disposed.CancelAsync();
        await StopAllAsync();
        _disposed.Dispose();
    }

    private sealed class Entry(ClusterInventory inventory)
    {
        public ClusterInventory Inventory { get; } = inventory;

        public int Leases { get; set; }

        public DateTimeOffset? IdleSince { get; set; }
    }
}
