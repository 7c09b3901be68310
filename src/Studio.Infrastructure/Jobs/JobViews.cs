using System.Globalization;
using System.Text.Json;
using k8s.Models;
using Studio.Domain.Jobs;

namespace Studio.Infrastructure.Jobs;

/// <summary>How job records and cluster objects are shown: list rows, pod and event views, roles by rank, search text.</summary>
internal static class JobViews
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    internal static string SearchText(string name, JobSpec spec)
    {
        var text = string.Join(' ', new[] { name, spec.DisplayName, spec.ExperimentName }.Concat(spec.Tags.Select(t => $"{t.Key}={t.Value}")).Where(s => !string.IsNullOrWhiteSpace(s))).ToLowerInvariant();
        return text.Length > 2048 ? text[..2048] : text;
    }

    internal static string RoleOf(TrainingJob record, int rank)
    {
        if (record.Distribution == DistributionKind.None && record.InstanceCount <= 1)
        {
            return "main";
        }

        return record.Distribution switch
        {
            DistributionKind.PyTorch => rank == 0 ? "master" : "worker",
            DistributionKind.Mpi => rank == 0 ? "launcher" : "worker",
            DistributionKind.TensorFlow => rank < TfParameterServers(record) ? "ps" : "worker",
            _ => "worker",
        };
    }

    private static int TfParameterServers(TrainingJob record)
    {
        try
        {
            return JsonSerializer.Deserialize<JobSpec>(record.SpecJson, Json)?.Distribution.ParameterServerCount ?? 0;
        }
        catch (JsonException)
        {
            return 0;
        }
    }

    internal static JobPodView ToView(JobPod p, bool live) =>
        new(p.Name, p.Rank, p.Role, p.Phase, p.Node, p.Restarts, p.Reason, p.Message, p.ExitCode, p.StartedAt, p.FinishedAt, live, p.LogTail is not null);

    internal static JobPodView ToView(JobPodInfo p, TrainingJob record, bool hasTail)
    {
        var container = p.Containers.FirstOrDefault();
        var reason = p.Unschedulable ? JobStatusMapping.Unschedulable : container?.Reason ?? p.Reason;
        var message = p.Unschedulable ? SchedulingExplainer.Explain(p.SchedulingMessage) : container?.Message ?? p.Message;
        return new JobPodView(p.Name, p.Rank, RoleOf(record, p.Rank), p.Deleting ? "Terminating" : p.Phase, p.Node, p.Restarts, reason, message, container?.ExitCode, p.StartedAt, p.FinishedAt, true, hasTail);
    }

    internal static JobSummary ToSummary(TrainingJob r, string workspace) => new(
        workspace, r.Name, r.DisplayName, r.Experiment, r.Compute, r.InstanceType, r.InstanceCount, r.Distribution, r.State, r.Reason, r.SubmitterName, r.CreatedAt, r.StartedAt, r.EndedAt);

    internal static readonly System.Linq.Expressions.Expression<Func<TrainingJob, SummaryRow>> SummaryColumns = j => new SummaryRow(
        j.Name, j.DisplayName, j.Experiment, j.Compute, j.InstanceType, j.InstanceCount, j.Distribution, j.State, j.Reason, j.SubmitterName, j.CreatedAt, j.StartedAt, j.EndedAt);

    internal sealed record SummaryRow(string Name, string? DisplayName, string? Experiment, string Compute, string InstanceType, int InstanceCount, DistributionKind Distribution, JobState State, string? Reason, string Submitter, DateTimeOffset CreatedAt, DateTimeOffset? StartedAt, DateTimeOffset? EndedAt)
    {
        public JobSummary ToSummary(string workspace) => new(workspace, Name, DisplayName, Experiment, Compute, InstanceType, InstanceCount, Distribution, State, Reason, Submitter, CreatedAt, StartedAt, EndedAt);
    }

    internal static List<JobEventView> Merge(List<JobEventView> recorded, IReadOnlyList<JobEventView> live)
    {
        var merged = recorded.ToDictionary(e => (e.Object, e.Reason, e.Message), e => e);
        foreach (var e in live)
        {
            merged[(e.Object, e.Reason, e.Message)] = merged.TryGetValue((e.Object, e.Reason, e.Message), out var old) && old.Count > e.Count ? old : e;
        }

        return [.. merged.Values];
    }

    internal static string Plural(int n, string noun) => n == 1 ? $"1 {noun}" : string.Create(CultureInfo.InvariantCulture, $"{n} {noun}s");

    /// <summary>Whether an object name is the job's (the Job, its Service, its ConfigMap, or a pod NAME-…).</summary>
    internal static bool BelongsTo(string job, string? name) =>
        name is not null && (name == job || (name.StartsWith(job, StringComparison.Ordinal) && name.Length > job.Length && name[job.Length] == '-'));

    internal static JobEventView ToView(Corev1Event e) => new(
        (e.LastTimestamp ?? e.EventTime ?? e.Metadata.CreationTimestamp) is { } at ? new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc)) : DateTimeOffset.MinValue,
        e.Type ?? "Normal",
        e.Reason ?? string.Empty,
        e.Message ?? string.Empty,
        $"{e.InvolvedObject?.Kind}/{e.InvolvedObject?.Name}",
        e.Count ?? 1);
}
