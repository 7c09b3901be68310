using System.Net;
using System.Text;
using k8s;
using k8s.Autorest;
using Microsoft.Extensions.Options;
using Studio.Domain.Jobs;
using Studio.Infrastructure.Kubernetes;
using Studio.Infrastructure.Kubernetes.Inventory;

namespace Studio.Infrastructure.Jobs;

/// <summary>A job's pods and their logs on the cluster: from the shared informer when it runs (else listed), and the log tails kept in the record.</summary>
public sealed class JobPodReader(KubernetesClientFactory clients, InventoryRegistry inventories, IOptions<JobsOptions> options, TimeProvider clock)
{
    /// <summary>The job's pods now: from the shared informer when it runs, else listed.</summary>
    public async Task<IReadOnlyList<JobPodInfo>> LivePodsAsync(TrainingJob record, CancellationToken cancellationToken)
    {
        var inventory = inventories.Peek(record.ClusterId);
        if (inventory is not null && inventory.JobPods.Health.State == InformerState.Synced)
        {
            return [.. inventory.JobPods.Snapshot().Where(p => p.BelongsTo(record))];
        }

        var client = await clients.GetAsync(record.ClusterId, cancellationToken).ConfigureAwait(false);
        if (!client.IsSuccess)
        {
            return [];
        }

        try
        {
            var pods = await client.Value.CoreV1.ListNamespacedPodAsync(record.Namespace, labelSelector: JobManifests.PodSelector(record), cancellationToken: cancellationToken).ConfigureAwait(false);
            return [.. pods.Items.Select(JobProjections.ToInfo).Where(p => p.BelongsTo(record))];
        }
        catch (Exception e) when (e is HttpOperationException or HttpRequestException)
        {
            return [];
        }
    }

    /// <summary>
    /// Keeps the last <c>LogTailKiB</c> of every ended pod's log (every pod when <paramref name="force"/>, e.g. before a cancel
    /// deletes them) and its placement in <paramref name="record"/>'s pods (tracked by the caller's context).
    /// </summary>
    public async Task CaptureLogTailsAsync(IKubernetes client, TrainingJob record, ClusterInventory? inventory, bool force, CancellationToken cancellationToken)
    {
        IReadOnlyList<JobPodInfo> pods;
        if (inventory is not null && inventory.JobPods.Health.State == InformerState.Synced)
        {
            pods = [.. inventory.JobPods.Snapshot().Where(p => p.BelongsTo(record))];
        }
        else
        {
            var listed = await client.CoreV1.ListNamespacedPodAsync(record.Namespace, labelSelector: JobManifests.PodSelector(record), cancellationToken: cancellationToken).ConfigureAwait(false);
            pods = [.. listed.Items.Select(JobProjections.ToInfo).Where(p => p.BelongsTo(record))];
        }

        var maxBytes = Math.Max(1, options.Value.LogTailKiB) * 1024;
        foreach (var pod in pods)
        {
            ObservePod(record, pod, clock.GetUtcNow());
            if (record.Pods.First(p => p.Name == pod.Name).LogTail is not null || (!force && !pod.Ended) || pod.Node is null)
            {
                continue;
            }

            var lines = await ReadLogAsync(client, record.Namespace, pod.Name, pod.Rank, 5000, cancellationToken).ConfigureAwait(false);
            record.KeepLogTail(pod.Name, JobLogText.Tail(lines, maxBytes), clock.GetUtcNow());
        }
    }

    /// <summary>Keeps the pod's placement in the job (created or updated from the live projection); true when the pods tab would change.</summary>
    internal static bool ObservePod(TrainingJob record, JobPodInfo pod, DateTimeOffset at) =>
        record.ObservePod(pod.ToObservation(), JobViews.RoleOf(record, pod.Rank), pod.StartedAt, pod.FinishedAt, at);

    internal static async Task<IReadOnlyList<JobLogLine>> ReadLogAsync(IKubernetes client, string @namespace, string pod, int rank, int tail, CancellationToken cancellationToken)
    {
        try
        {
            using var stream = await client.CoreV1.ReadNamespacedPodLogAsync(pod, @namespace, container: JobManifests.ContainerName, tailLines: tail, timestamps: true, cancellationToken: cancellationToken).ConfigureAwait(false);
            using var reader = new StreamReader(stream, Encoding.UTF8);
            return JobLogText.Parse(pod, rank, await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false));
        }
        catch (HttpOperationException e) when (e.Response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.NotFound)
        {
            return [];
        }
    }
}
