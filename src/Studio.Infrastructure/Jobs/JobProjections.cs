using System.Globalization;
using k8s.Models;
using Studio.Domain.Jobs;

namespace Studio.Infrastructure.Jobs;

/// <summary>Maps Jobs and pods of training jobs to their slim projections (the boundary where V1* types stop).</summary>
public static class JobProjections
{
    public static JobObjectInfo ToInfo(V1Job job) => new(
        job.Metadata.NamespaceProperty ?? "default",
        job.Metadata.Name,
        job.Metadata.Uid ?? string.Empty,
        job.Metadata.Labels?.TryGetValue(JobManifests.WorkspaceLabel, out var ws) == true ? ws : null,
        [.. (job.Status?.Conditions ?? []).Select(c => new JobConditionObservation(c.Type, c.Status == "True", c.Reason, c.Message))],
        job.Status?.Active ?? 0,
        job.Status?.Ready ?? 0,
        job.Status?.Succeeded ?? 0,
        job.Status?.Failed ?? 0,
        job.Spec?.Completions ?? 1,
        Utc(job.Status?.StartTime),
        Utc(job.Status?.CompletionTime),
        job.Metadata.Labels?.TryGetValue(JobManifests.WorkspaceIdLabel, out var id) == true ? id : null);

    public static JobPodInfo ToInfo(V1Pod pod)
    {
        var labels = pod.Metadata.Labels ?? new Dictionary<string, string>();
        var annotations = pod.Metadata.Annotations ?? new Dictionary<string, string>();
        var rankText = annotations.TryGetValue(JobManifests.CompletionIndexAnnotation, out var a) ? a
            : labels.TryGetValue(JobManifests.CompletionIndexAnnotation, out var l) ? l
            : labels.TryGetValue(JobManifests.RankLabel, out var r) ? r : "0";
        var rank = int.TryParse(rankText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) ? parsed : 0;
        var limits = (pod.Spec?.Containers ?? []).ToDictionary(c => c.Name, c => c.Resources?.Limits?.TryGetValue("memory", out var m) == true ? (long?)m.ToInt64() : null, StringComparer.Ordinal);
        var images = (pod.Spec?.Containers ?? []).ToDictionary(c => c.Name, c => c.Image ?? string.Empty, StringComparer.Ordinal);
        var statuses = pod.Status?.ContainerStatuses ?? [];
        var containers = statuses.Count > 0
            ? statuses.Select(s => Container(s, images.GetValueOrDefault(s.Name, s.Image ?? string.Empty), limits.GetValueOrDefault(s.Name))).ToList()
            : (pod.Spec?.Containers ?? []).Select(c => new ContainerObservation(c.Name, c.Image ?? string.Empty, ContainerPhase.Waiting, MemoryLimitBytes: limits.GetValueOrDefault(c.Name))).ToList();
        var scheduled = pod.Status?.Conditions?.FirstOrDefault(c => c.Type == "PodScheduled");
        var unschedulable = scheduled is { Status: "False", Reason: "Unschedulable" };
        var started = statuses.Select(s => s.State?.Running?.StartedAt ?? s.State?.Terminated?.StartedAt ?? s.LastState?.Terminated?.StartedAt).Where(t => t is not null).Min();
        var finished = statuses.Select(s => s.State?.Terminated?.FinishedAt).Where(t => t is not null).Max();
        return new JobPodInfo(
            pod.Metadata.NamespaceProperty ?? "default",
            pod.Metadata.Name,
            pod.Metadata.Uid ?? string.Empty,
            labels.TryGetValue(JobManifests.JobLabel, out var job) ? job : string.Empty,
            rank,
            pod.Status?.Phase ?? "Pending",
            string.IsNullOrEmpty(pod.Spec?.NodeName) ? null : pod.Spec.NodeName,
            containers,
            unschedulable,
            unschedulable ? scheduled!.Message : null,
            pod.Status?.Reason,
            pod.Status?.Message,
            pod.Metadata.DeletionTimestamp is not null,
            Utc(pod.Metadata.CreationTimestamp),
            Utc(started) ?? Utc(pod.Status?.StartTime),
            Utc(finished),
            labels.TryGetValue(JobManifests.WorkspaceIdLabel, out var workspaceId) ? workspaceId : null);
    }

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
