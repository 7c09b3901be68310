using System.Globalization;
using k8s.Models;
using Studio.Domain.Jobs;

namespace Studio.Infrastructure.Jobs;

/// <summary>Maps Jobs and pods of training jobs to their slim projections (the boundary where V1* types stop).</summary>
public static class JobProjections
{
    public static JobObjectInfo ToInfo(V1Job job)
    {
        var labels = job.Metadata?.Labels;
        return new(
            job.Metadata?.NamespaceProperty ?? "default",
            job.Metadata?.Name ?? string.Empty,
            job.Metadata?.Uid ?? string.Empty,
            Label(labels, JobManifests.WorkspaceLabel),
            [.. (job.Status?.Conditions ?? []).Where(c => c?.Type is not null).Select(c => new JobConditionObservation(c.Type, c.Status == "True", c.Reason, c.Message))],
            job.Status?.Active ?? 0,
            job.Status?.Ready ?? 0,
            job.Status?.Succeeded ?? 0,
            job.Status?.Failed ?? 0,
            job.Spec?.Completions ?? 1,
            Utc(job.Status?.StartTime),
            Utc(job.Status?.CompletionTime),
            Label(labels, JobManifests.WorkspaceIdLabel));
    }

    /// <summary>
    /// The projection of a job's pod. Every field a pod may lack (no status yet, no container statuses, no node, no
    /// labels) or a hostile object may hold as null (list entries, label values, names, quantities) is read as absent.
    /// </summary>
    public static JobPodInfo ToInfo(V1Pod pod)
    {
        var labels = pod.Metadata?.Labels;
        var annotations = pod.Metadata?.Annotations;
        var rankText = Label(annotations, JobManifests.CompletionIndexAnnotation) ?? Label(labels, JobManifests.CompletionIndexAnnotation) ?? Label(labels, JobManifests.RankLabel) ?? "0";
        var rank = int.TryParse(rankText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) ? parsed : 0;
        var specContainers = (pod.Spec?.Containers ?? []).Where(c => c?.Name is not null).DistinctBy(c => c.Name, StringComparer.Ordinal).ToList();
        var limits = specContainers.ToDictionary(c => c.Name, c => c.Resources?.Limits?.TryGetValue("memory", out var m) == true && m is not null ? (long?)m.ToInt64() : null, StringComparer.Ordinal);
        var images = specContainers.ToDictionary(c => c.Name, c => c.Image ?? string.Empty, StringComparer.Ordinal);
        var statuses = (pod.Status?.ContainerStatuses ?? []).Where(s => s?.Name is not null).DistinctBy(s => s.Name, StringComparer.Ordinal).ToList();
        var containers = statuses.Count > 0
            ? statuses.Select(s => Container(s, images.GetValueOrDefault(s.Name, s.Image ?? string.Empty), limits.GetValueOrDefault(s.Name))).ToList()
            : specContainers.Select(c => new ContainerObservation(c.Name, c.Image ?? string.Empty, ContainerPhase.Waiting, MemoryLimitBytes: limits.GetValueOrDefault(c.Name))).ToList();
        // A failed init container (the code or input fetch) is what stopped the pod: its reason and message explain the failure.
        var initImages = (pod.Spec?.InitContainers ?? []).Where(c => c?.Name is not null).DistinctBy(c => c.Name, StringComparer.Ordinal).ToDictionary(c => c.Name, c => c.Image ?? string.Empty, StringComparer.Ordinal);
        containers.InsertRange(0, (pod.Status?.InitContainerStatuses ?? [])
            .Where(s => s?.Name is not null && s.Name != JobManifests.UploadOutputsContainer && s.State?.Terminated is { ExitCode: not 0 })
            .Select(s => Container(s, initImages.GetValueOrDefault(s.Name, s.Image ?? string.Empty), null) with { Init = true }));
        var scheduled = pod.Status?.Conditions?.FirstOrDefault(c => c?.Type == "PodScheduled");
        var unschedulable = scheduled is { Status: "False", Reason: "Unschedulable" };
        var started = statuses.Select(s => s.State?.Running?.StartedAt ?? s.State?.Terminated?.StartedAt ?? s.LastState?.Terminated?.StartedAt).Where(t => t is not null).Min();
        var finished = statuses.Select(s => s.State?.Terminated?.FinishedAt).Where(t => t is not null).Max();
        return new JobPodInfo(
            pod.Metadata?.NamespaceProperty ?? "default",
            pod.Metadata?.Name ?? string.Empty,
            pod.Metadata?.Uid ?? string.Empty,
            Label(labels, JobManifests.JobLabel) ?? string.Empty,
            rank,
            pod.Status?.Phase ?? "Pending",
            string.IsNullOrEmpty(pod.Spec?.NodeName) ? null : pod.Spec.NodeName,
            containers,
            unschedulable,
            unschedulable ? scheduled!.Message : null,
            pod.Status?.Reason,
            pod.Status?.Message,
            pod.Metadata?.DeletionTimestamp is not null,
            Utc(pod.Metadata?.CreationTimestamp),
            Utc(started) ?? Utc(pod.Status?.StartTime),
            Utc(finished),
            Label(labels, JobManifests.WorkspaceIdLabel));
    }

    /// <summary>A label's (or annotation's) value, or null when it is missing, null or empty.</summary>
    private static string? Label(IDictionary<string, string>? labels, string key) =>
        labels is not null && labels.TryGetValue(key, out var value) && !string.IsNullOrEmpty(value) ? value : null;

    private static ContainerObservation Container(V1ContainerStatus s, string image, long? memoryLimit)
    {
        var last = s.LastState?.Terminated?.Reason;
        if (s.State?.Terminated is { } t)
        {
            return new ContainerObservation(s.Name, image, ContainerPhase.Terminated, t.Reason, t.Message, t.ExitCode, s.RestartCount, memoryLimit, last);
        }

        if (s.State?.Running is not null)
        {
            return new ContainerObservation(s.Name, image, ContainerPhase.Running, null, null, null, s.RestartCount, memoryLimit, last);
        }

        var w = s.State?.Waiting;
        return new ContainerObservation(s.Name, image, ContainerPhase.Waiting, w?.Reason, w?.Message, null, s.RestartCount, memoryLimit, last);
    }

    private static DateTimeOffset? Utc(DateTime? t) => t is { } v ? new DateTimeOffset(DateTime.SpecifyKind(v, DateTimeKind.Utc)) : null;
}
