using k8s;
using k8s.Autorest;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Studio.Domain.Common;
using Studio.Domain.Jobs;
using Studio.Infrastructure.Kubernetes;

namespace Studio.Infrastructure.Jobs;

/// <summary>Kubernetes events about jobs: read live for the job page, and kept in the record when a job ends (the cluster forgets them after an hour).</summary>
public sealed class JobClusterEvents(KubernetesClientFactory clients, IOptions<JobsOptions> options, TimeProvider clock, ILogger<JobClusterEvents> logger)
{
    /// <summary>Events about the Job, its pods and its Service on the cluster now.</summary>
    public async Task<Result<IReadOnlyList<JobEventView>>> LiveEventsAsync(TrainingJob record, CancellationToken cancellationToken)
    {
        var client = await clients.GetAsync(record.ClusterId, cancellationToken).ConfigureAwait(false);
        if (!client.IsSuccess)
        {
            return Result<IReadOnlyList<JobEventView>>.Failure(client.Errors);
        }

        try
        {
            var events = await client.Value.CoreV1.ListNamespacedEventAsync(record.Namespace, cancellationToken: cancellationToken).ConfigureAwait(false);
            return Result<IReadOnlyList<JobEventView>>.Ok([.. events.Items.Where(e => JobViews.BelongsTo(record.KubernetesName, e.InvolvedObject?.Name)).Select(JobViews.ToView)]);
        }
        catch (Exception e) when (e is HttpOperationException or HttpRequestException)
        {
            return Error.Conflict("cluster_unavailable", $"Live state is not available: {KubernetesProbe.Describe(e)} Showing what Studio recorded.");
        }
    }

    /// <summary>
    /// Keeps the events of jobs that just ended (the cluster forgets them after an hour): one list per namespace for the
    /// whole batch, not one per job, so the tracker stays inside the cluster's request budget.
    /// </summary>
    public async Task RecordEndedAsync(Guid clusterId, IReadOnlyList<TrainingJob> ended, CancellationToken cancellationToken)
    {
        var client = await clients.GetAsync(clusterId, cancellationToken).ConfigureAwait(false);
        if (!client.IsSuccess)
        {
            return;
        }

        var max = options.Value.MaxEventsPerJob;
        foreach (var byNamespace in ended.GroupBy(r => r.Namespace, StringComparer.Ordinal))
        {
            IList<k8s.Models.Corev1Event> events;
            try
            {
                events = (await client.Value.CoreV1.ListNamespacedEventAsync(byNamespace.Key, cancellationToken: cancellationToken).ConfigureAwait(false)).Items;
            }
            catch (Exception e) when (e is HttpOperationException or HttpRequestException)
            {
                logger.LogInformation("Reading events of namespace {Namespace} failed: {Problem}", byNamespace.Key, e.Message);
                continue;
            }

            foreach (var record in byNamespace)
            {
                foreach (var e in events.Where(e => JobViews.BelongsTo(record.KubernetesName, e.InvolvedObject?.Name)).OrderBy(e => e.LastTimestamp ?? e.EventTime ?? e.Metadata.CreationTimestamp))
                {
                    var view = JobViews.ToView(e);
                    record.KeepEvent(e.Metadata.Uid ?? e.Metadata.Name, view.At, view.Type, view.Reason, view.Message, view.Object, view.Count, max, clock.GetUtcNow());
                }
            }
        }
    }
}
