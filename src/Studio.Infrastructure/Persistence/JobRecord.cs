namespace Studio.Infrastructure.Persistence;

/// <summary>
/// The durable record of a training job: what was asked (spec JSON and YAML), where it ran, what was applied, its state and
/// timeline, events, pod placements and log tails — so the detail page works after the pods, the namespace or the
/// cluster are gone.
/// </summary>
public sealed class JobRecord
{
    public Guid Id { get; set; }

    public Guid WorkspaceId { get; set; }

    /// <summary>The job's name: unique in the workspace, and the Kubernetes object name.</summary>
    public required string Name { get; set; }

    /// <summary>The submit request id (idempotency key) when the caller gave one.</summary>
    public string? RequestId { get; set; }

    public string? DisplayName { get; set; }

    public string? Experiment { get; set; }

    public required string Compute { get; set; }

    public Guid ClusterId { get; set; }

    public required string Namespace { get; set; }

    public required string InstanceType { get; set; }

    public int InstanceCount { get; set; }

    public required string Distribution { get; set; }

    public string? Image { get; set; }

    public required string SubmitterId { get; set; }

    public required string SubmitterName { get; set; }

    public required string State { get; set; }

    public string? Reason { get; set; }

    public string? Message { get; set; }

    public string? Hint { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? StartedAt { get; set; }

    public DateTimeOffset? EndedAt { get; set; }

    /// <summary><see cref="StartedAt"/> as Unix seconds: the list sorts running jobs by duration with it (portable arithmetic).</summary>
    public long? StartedUnixSeconds { get; set; }

    /// <summary>Seconds from start to end once the job ended (0 when it never started).</summary>
    public long? RunSeconds { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>Lower-cased name, display name, experiment and tags, for the list's text filter.</summary>
    public required string SearchText { get; set; }

    public required string SpecJson { get; set; }

    public required string SubmittedYaml { get; set; }

    public required string ManifestsYaml { get; set; }

    public long RequestsCpuMillis { get; set; }

    public long RequestsMemoryBytes { get; set; }

    public long RequestsGpus { get; set; }

    public long LimitsCpuMillis { get; set; }

    public long LimitsMemoryBytes { get; set; }

    public long LimitsGpus { get; set; }

    /// <summary>Records the start (once).</summary>
    public void MarkStarted(DateTimeOffset at)
    {
        if (StartedAt is null)
        {
            StartedAt = at;
            StartedUnixSeconds = at.ToUnixTimeSeconds();
        }
    }

    /// <summary>Records the end and the run time.</summary>
    public void MarkEnded(DateTimeOffset at)
    {
        EndedAt = at;
        RunSeconds = StartedAt is { } start ? Math.Max(0, (long)(at - start).TotalSeconds) : 0;
    }

    public List<JobTransitionRecord> Transitions { get; set; } = [];

    public List<JobEventRecord> Events { get; set; } = [];

    public List<JobPodRecord> Pods { get; set; } = [];
}
