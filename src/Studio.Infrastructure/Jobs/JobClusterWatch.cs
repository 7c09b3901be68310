using Studio.Domain.Jobs;
using Studio.Infrastructure.Kubernetes.Inventory;

namespace Studio.Infrastructure.Jobs;

/// <summary>The tracker's use of one cluster's inventory: an index of job pods by job, and the handlers that queue work.</summary>
internal sealed class JobClusterWatch : IDisposable
{
    private readonly InventoryLease _lease;
    private readonly Action<JobKey> _enqueue;
    private readonly Action<JobKey> _deleted;
    private readonly Dictionary<string, Dictionary<string, JobPodInfo>> _podsByJob = new(StringComparer.Ordinal);

    public JobClusterWatch(Guid clusterId, InventoryLease lease, DateTimeOffset since, Action<JobKey> enqueue, Action<JobKey> deleted)
    {
        ClusterId = clusterId;
        _lease = lease;
        _enqueue = enqueue;
        _deleted = deleted;
        Since = since;
        Inventory.Jobs.ItemChanged += OnJob;
        Inventory.JobPods.ItemChanged += OnPod;
        Inventory.Jobs.Relisted += OnJobsRelisted;
        Inventory.JobPods.Relisted += RebuildPods;
        RebuildPods();
    }

    public Guid ClusterId { get; }

    public DateTimeOffset Since { get; }

    public ClusterInventory Inventory => _lease.Inventory;

    /// <summary>The record's pods: by its Kubernetes name, and only those labelled for its workspace (<see cref="JobPodInfo.BelongsTo"/>).</summary>
    public IReadOnlyList<JobPodInfo> PodsOf(TrainingJob record)
    {
        lock (_podsByJob)
        {
            return _podsByJob.TryGetValue($"{record.Namespace}/{record.KubernetesName}", out var pods) ? [.. pods.Values.Where(p => p.BelongsTo(record))] : [];
        }
    }

    private void OnJob(JobObjectInfo? old, JobObjectInfo? current)
    {
        var info = current ?? old;
        if (info is null)
        {
            return;
        }

        var key = new JobKey(ClusterId, info.Namespace, info.Name);
        if (current is null)
        {
            _deleted(key);
        }

        _enqueue(key);
    }

    private void OnPod(JobPodInfo? old, JobPodInfo? current)
    {
        lock (_podsByJob)
        {
            if (old is not null && _podsByJob.TryGetValue($"{old.Namespace}/{old.Job}", out var before))
            {
                before.Remove(old.Name);
            }

            if (current is not null)
            {
                var jobKey = $"{current.Namespace}/{current.Job}";
                if (!_podsByJob.TryGetValue(jobKey, out var pods))
                {
                    _podsByJob[jobKey] = pods = new Dictionary<string, JobPodInfo>(StringComparer.Ordinal);
                }

                pods[current.Name] = current;
            }
        }

        var info = current ?? old;
        if (info is not null && info.Job.Length > 0)
        {
            _enqueue(new JobKey(ClusterId, info.Namespace, info.Job));
        }
    }

    private void OnJobsRelisted()
    {
        foreach (var job in Inventory.Jobs.Snapshot())
        {
            _enqueue(new JobKey(ClusterId, job.Namespace, job.Name));
        }
    }

    private void RebuildPods()
    {
        lock (_podsByJob)
        {
            _podsByJob.Clear();
            foreach (var pod in Inventory.JobPods.Snapshot())
            {
                var jobKey = $"{pod.Namespace}/{pod.Job}";
                if (!_podsByJob.TryGetValue(jobKey, out var pods))
                {
                    _podsByJob[jobKey] = pods = new Dictionary<string, JobPodInfo>(StringComparer.Ordinal);
                }

                pods[pod.Name] = pod;
            }
        }
    }

    public void Dispose()
    {
        Inventory.Jobs.ItemChanged -= OnJob;
        Inventory.JobPods.ItemChanged -= OnPod;
        Inventory.Jobs.Relisted -= OnJobsRelisted;
        Inventory.JobPods.Relisted -= RebuildPods;
        _lease.Dispose();
    }
}
