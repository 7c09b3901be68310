using Studio.Domain.Clusters;
using Studio.Domain.Common;

namespace Studio.Domain.Jobs;

/// <summary>
/// A training job as the studio records it: what was asked (spec, YAML, applied manifests), where it runs, its state and
/// timeline, its pods' placements and log tails, and the Kubernetes events about it — so the job page keeps working
/// after the pods, the namespace or the cluster are gone. Its state only moves through <see cref="Submit"/>,
/// <see cref="Observe"/>, <see cref="FailSubmit"/> and <see cref="Cancel"/>, by the rules of <see cref="JobLifecycle"/>
/// (forward only, terminal states final); every change users see raises one <see cref="JobStatusChanged"/> per save.
/// </summary>
public sealed partial class TrainingJob : Entity
{
    /// <summary>The reason of a job the cluster did not accept.</summary>
    public const string SubmitFailed = "SubmitFailed";

    private readonly List<JobTimelineEntry> _transitions = [];
    private readonly List<JobPod> _pods = [];
    private readonly List<JobClusterEvent> _events = [];
    private JobStatusChanged? _raised;

    private TrainingJob()
    {
        Name = KubernetesName = Compute = Namespace = InstanceType = SubmitterId = SubmitterName = SearchText = SpecJson = SubmittedYaml = ManifestsYaml = string.Empty;
    }

    public Guid Id { get; private set; }

    public Guid WorkspaceId { get; private set; }

    /// <summary>The job's name, as the user typed or Studio chose it: unique in the workspace.</summary>
    public string Name { get; private set; }

    /// <summary>
    /// The name of its Kubernetes objects (Job, Service, ConfigMap, pod-group label): <see cref="Name"/> with a suffix of
    /// its workspace, so two workspaces sharing a namespace never name the same object. Jobs recorded before names were
    /// made unique per namespace keep <see cref="Name"/> (<see cref="HasWorkspaceUniqueName"/> false).
    /// </summary>
    public string KubernetesName { get; private set; }

    /// <summary>Whether the job's objects carry a per-workspace name and its workspace's id label (every job submitted since).</summary>
    public bool HasWorkspaceUniqueName => KubernetesName != Name;

    /// <summary>The submit request id (idempotency key) when the caller gave one.</summary>
    public string? RequestId { get; private set; }

    /// <summary>A hash of the normalized submit request, kept with <see cref="RequestId"/>: a retry with the same key must ask for the same job.</summary>
    public string? RequestHash { get; private set; }

    public string? DisplayName { get; private set; }

    public string? Experiment { get; private set; }

    public string Compute { get; private set; }

    public Guid ClusterId { get; private set; }

    public string Namespace { get; private set; }

    public string InstanceType { get; private set; }

    public int InstanceCount { get; private set; }

    public DistributionKind Distribution { get; private set; }

    public string? Image { get; private set; }

    public string SubmitterId { get; private set; }

    public string SubmitterName { get; private set; }

    public JobState State { get; private set; }

    public string? Reason { get; private set; }

    public string? Message { get; private set; }

    public string? Hint { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset? StartedAt { get; private set; }

    public DateTimeOffset? EndedAt { get; private set; }

    /// <summary>When the cluster was first seen holding the job's Kubernetes Job (null: its objects were never observed, so their apply may have been lost).</summary>
    public DateTimeOffset? ObservedAt { get; private set; }

    /// <summary><see cref="StartedAt"/> as Unix seconds: the list sorts running jobs by duration with it (portable arithmetic).</summary>
    public long? StartedUnixSeconds { get; private set; }

    /// <summary>Seconds from start to end once the job ended (0 when it never started).</summary>
    public long? RunSeconds { get; private set; }

    /// <summary>When anything users see last changed; the record's concurrency token (two writers of one change: the later re-reads).</summary>
    public DateTimeOffset UpdatedAt { get; private set; }

    /// <summary>Lower-cased name, display name, experiment and tags, for the list's text filter.</summary>
    public string SearchText { get; private set; }

    public string SpecJson { get; private set; }

    public string SubmittedYaml { get; private set; }

    public string ManifestsYaml { get; private set; }

    public long RequestsCpuMillis { get; private set; }

    public long RequestsMemoryBytes { get; private set; }

    public long RequestsGpus { get; private set; }

    public long LimitsCpuMillis { get; private set; }

    public long LimitsMemoryBytes { get; private set; }

    public long LimitsGpus { get; private set; }

    public IReadOnlyList<JobTimelineEntry> Transitions => _transitions;

    public IReadOnlyList<JobPod> Pods => _pods;

    public IReadOnlyList<JobClusterEvent> Events => _events;

    /// <summary>Requests of one instance.</summary>
    public ResourceAmounts Requests => new(RequestsCpuMillis, RequestsMemoryBytes, RequestsGpus);

    /// <summary>Limits of one instance.</summary>
    public ResourceAmounts Limits => new(LimitsCpuMillis, LimitsMemoryBytes, LimitsGpus);

    public bool IsTerminal => JobLifecycle.IsTerminal(State);

    /// <summary>Records a submitted job: Queued, waiting for the cluster to create and schedule its pods.</summary>
    public static TrainingJob Submit(JobSubmission submission, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(submission);
        if (string.IsNullOrWhiteSpace(submission.Name) || submission.InstanceCount < 1)
        {
            throw new DomainException("A job needs a name and at least one instance.");
        }

        var job = new TrainingJob
        {
            Id = Guid.NewGuid(),
            WorkspaceId = submission.WorkspaceId,
            Name = submission.Name,
            KubernetesName = string.IsNullOrWhiteSpace(submission.KubernetesName) ? submission.Name : submission.KubernetesName,
            RequestId = submission.RequestId,
            RequestHash = submission.RequestHash,
            DisplayName = submission.DisplayName,
            Experiment = submission.Experiment,
            Compute = submission.Compute,
            ClusterId = submission.ClusterId,
            Namespace = submission.Namespace,
            InstanceType = submission.InstanceType,
            InstanceCount = submission.InstanceCount,
            Distribution = submission.Distribution,
            Image = submission.Image,
            SubmitterId = submission.SubmitterId,
            SubmitterName = submission.SubmitterName,
            State = JobState.Queued,
            Reason = "Submitted",
            Message = "Submitted; waiting for the cluster to create and schedule the pods.",
            CreatedAt = at,
            UpdatedAt = at,
            SearchText = submission.SearchText,
            SpecJson = submission.SpecJson,
            SubmittedYaml = submission.SubmittedYaml,
            ManifestsYaml = submission.ManifestsYaml,
            RequestsCpuMillis = submission.Requests.CpuMillis,
            RequestsMemoryBytes = submission.Requests.MemoryBytes,
            RequestsGpus = submission.Requests.Gpus,
            LimitsCpuMillis = submission.Limits.CpuMillis,
            LimitsMemoryBytes = submission.Limits.MemoryBytes,
            LimitsGpus = submission.Limits.Gpus,
        };
        job._transitions.Add(new JobTimelineEntry(job.Id, JobState.Queued, at, "Submitted"));
        job.Raise(JobChange.Submitted, null, at);
        return job;
    }

    /// <summary>
    /// Takes what the cluster says about the job now (mapped by <see cref="JobStatusMapping"/>): moves the state forward
    /// when it moved (never back, never out of a terminal state), and keeps the reason, message and hint.
    /// <paramref name="podsStartedAt"/> is when its first container started, if known. True when anything users see changed.
    /// </summary>
    public bool Observe(JobObservation observation, DateTimeOffset at, DateTimeOffset? podsStartedAt = null)
    {
        ArgumentNullException.ThrowIfNull(observation);
        if (IsTerminal)
        {
            return false;
        }

        if (observation.Exists)
        {
            ObservedAt ??= at;
        }

        var status = JobStatusMapping.Map(observation);
        var before = State;
        var change = JobChange.None;
        foreach (var transition in JobLifecycle.Advance(State, status, at))
        {
            Enter(transition.State, transition.At, transition.Reason);
            if (transition.State is JobState.Running)
            {
                MarkStarted(podsStartedAt ?? at);
            }

            if (JobLifecycle.IsTerminal(transition.State))
            {
                if (podsStartedAt is { } started)
                {
                    MarkStarted(started);
                }

                MarkEnded(at);
            }

            change |= JobChange.State;
        }

        // A Job suspended while its image is built says so, not that a queue holds it.
        var waitingForBuild = WaitsForEnvironmentBuild && State == JobState.Queued && status.State == JobState.Queued;
        if (State == status.State && !waitingForBuild && (Reason != Cut(status.Reason, 128) || Message != Cut(status.Message, 4096)))
        {
            Reason = Cut(status.Reason, 128);
            Message = Cut(status.Message, 4096);
            Hint = Cut(status.Hint, 1024);
            change |= JobChange.Status;
        }

        if (change != JobChange.None)
        {
            Raise(change, before, at);
        }

        return change != JobChange.None;
    }

    /// <summary>
    /// Keeps a pod's placement and how it is doing (created on first sight with <paramref name="role"/>). True when the
    /// pods tab would show something new (a pod appeared, moved phase or node, restarted, or changed reason).
    /// </summary>
    public bool ObservePod(PodObservation pod, string role, DateTimeOffset? startedAt, DateTimeOffset? finishedAt, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var row = _pods.FirstOrDefault(p => p.Name == pod.Name);
        var added = row is null;
        if (row is null)
        {
            row = new JobPod(Id, pod.Name, role, pod.Phase);
            _pods.Add(row);
        }

        var changed = row.Observe(pod, startedAt, finishedAt) || added;
        if (changed)
        {
            Raise(JobChange.Pods, State, at);
        }

        return changed;
    }

    /// <summary>Keeps the end of a pod's log (once per pod); false when the pod is unknown or its log is already kept.</summary>
    public bool KeepLogTail(string pod, string tail, DateTimeOffset at)
    {
        var row = _pods.FirstOrDefault(p => p.Name == pod);
        if (row is null || row.LogTail is not null)
        {
            return false;
        }

        row.KeepLog(tail, at);
        Raise(JobChange.Logs, State, at);
        return true;
    }

    /// <summary>Keeps a Kubernetes event about the job (once per uid, at most <paramref name="max"/> per job).</summary>
    public bool KeepEvent(string uid, DateTimeOffset at, string type, string reason, string message, string @object, int count, int max, DateTimeOffset now)
    {
        if (_events.Count >= max || _events.Any(e => e.Uid == uid))
        {
            return false;
        }

        _events.Add(new JobClusterEvent(Id, Cut(uid, 128)!, at, Cut(type, 16)!, Cut(reason, 128)!, Cut(message, 4096)!, Cut(@object, 256)!, count));
        Raise(JobChange.Events, State, now);
        return true;
    }

    /// <summary>Cancels the job: Canceled, its pending and running pods deleted. A job that already ended cannot be canceled.</summary>
    public Result Cancel(string by, DateTimeOffset at)
    {
        if (IsTerminal)
        {
            return Result.Failure(Error.Conflict("job_finished", $"Job '{Name}' already ended ({State}); there is nothing to cancel."));
        }

        var before = State;
        Enter(JobState.Canceled, at, "Canceled");
        Reason = "Canceled";
        Message = $"Canceled by {by}.";
        Hint = null;
        MarkEnded(at);
        foreach (var pod in _pods)
        {
            pod.Delete(at);
        }

        Raise(JobChange.State, before, at);
        return Result.Success();
    }

    /// <summary>What this record says now as an event, for a change made elsewhere (see <see cref="JobChange.Elsewhere"/>); not raised.</summary>
    public JobStatusChanged Describe(JobChange change) =>
        new(Id, WorkspaceId, Name, ClusterId, Namespace, Compute, DisplayName, Experiment, InstanceType, InstanceCount, Distribution, SubmitterName, State, State, Reason, change, CreatedAt, StartedAt, EndedAt, UpdatedAt);

    internal static string? Cut(string? text, int max) => text is null || text.Length <= max ? text : text[..max];

    private void Enter(JobState state, DateTimeOffset at, string? reason)
    {
        JobLifecycle.EnsureCanMove(State, state);
        _transitions.Add(new JobTimelineEntry(Id, state, at, Cut(reason, 128)));
        State = state;
    }

    private void MarkStarted(DateTimeOffset at)
    {
        if (StartedAt is null)
        {
            StartedAt = at;
            StartedUnixSeconds = at.ToUnixTimeSeconds();
        }
    }

    private void MarkEnded(DateTimeOffset at)
    {
        EndedAt = at;
        RunSeconds = StartedAt is { } start ? Math.Max(0, (long)(at - start).TotalSeconds) : 0;
    }

    /// <summary>Folds the change into this save's one <see cref="JobStatusChanged"/> and stamps <see cref="UpdatedAt"/>.</summary>
    private void Raise(JobChange change, JobState? previous, DateTimeOffset at)
    {
        UpdatedAt = at;
        var pending = _raised is not null && DomainEvents.Contains(_raised) ? _raised : null;
        var raised = new JobStatusChanged(
            Id, WorkspaceId, Name, ClusterId, Namespace, Compute, DisplayName, Experiment, InstanceType, InstanceCount, Distribution, SubmitterName, State,
            pending is null ? previous : pending.PreviousState, Reason, (pending?.Change ?? JobChange.None) | change,
            CreatedAt, StartedAt, EndedAt, at);
        if (pending is null)
        {
            AddDomainEvent(raised);
        }
        else
        {
            ReplaceDomainEvent(pending, raised);
        }

        _raised = raised;
    }
}
