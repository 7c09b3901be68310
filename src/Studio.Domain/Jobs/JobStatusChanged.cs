using Studio.Domain.Common;

namespace Studio.Domain.Jobs;

/// <summary>
/// A training job changed in a way users see: raised by <see cref="TrainingJob"/> on submit, on every state move
/// (<see cref="JobChange.State"/>), on a new reason or message in the same state (<see cref="JobChange.Status"/>), when
/// its pods' placements change (<see cref="JobChange.Pods"/>), when a pod's log tail or the job's Kubernetes events are
/// kept in the record (<see cref="JobChange.Logs"/>, <see cref="JobChange.Events"/>). One event per job per save: changes
/// made together are folded into one, <see cref="Change"/> naming all of them. Dispatched after the save that holds the
/// change succeeded. It carries what a list row or a live feed needs (every column of the job list); the workspace is its id (names can change), so
/// a page that shows names resolves it (the job services answer a summary by <see cref="JobId"/>).
/// </summary>
/// <param name="JobId">The job record's id.</param>
/// <param name="WorkspaceId">The workspace the job belongs to.</param>
/// <param name="Job">The job's name (unique in the workspace; also the Kubernetes object name).</param>
/// <param name="ClusterId">The cluster it runs on.</param>
/// <param name="Namespace">The namespace of its compute target on that cluster.</param>
/// <param name="Compute">The compute target's name.</param>
/// <param name="DisplayName">The job's display name, if any.</param>
/// <param name="Experiment">The job's experiment, if any.</param>
/// <param name="InstanceType">The instance type it runs on.</param>
/// <param name="InstanceCount">How many instances (pods) it runs.</param>
/// <param name="Distribution">Its distribution (PyTorch, TensorFlow, MPI or none).</param>
/// <param name="Submitter">Who submitted it (display name).</param>
/// <param name="State">The state after the change.</param>
/// <param name="PreviousState">The state before the change (equal to <paramref name="State"/> when the state did not move; null on submit).</param>
/// <param name="Reason">The current reason code (e.g. <c>Unschedulable</c>, <c>OOMKilled</c>).</param>
/// <param name="Change">What changed.</param>
/// <param name="CreatedAt">When the job was submitted.</param>
/// <param name="StartedAt">When its first container started, if it did.</param>
/// <param name="EndedAt">When it ended, if it did.</param>
/// <param name="At">When the change was made (the record's new concurrency stamp).</param>
public sealed record JobStatusChanged(
    Guid JobId,
    Guid WorkspaceId,
    string Job,
    Guid ClusterId,
    string Namespace,
    string Compute,
    string? DisplayName,
    string? Experiment,
    string InstanceType,
    int InstanceCount,
    DistributionKind Distribution,
    string Submitter,
    JobState State,
    JobState? PreviousState,
    string? Reason,
    JobChange Change,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? EndedAt,
    DateTimeOffset At) : IDomainEvent;
