using Studio.Domain.Jobs;

namespace Studio.Infrastructure.Jobs;

/// <summary>
/// The slim projection of a pod of a Studio training job (label <c>studio.io/job</c>): what the status mapping and the
/// detail page need; <see cref="WorkspaceId"/> is its workspace-id label (null on pods of jobs recorded before it).
/// </summary>
public sealed record JobPodInfo(
    string Namespace,
    string Name,
    string Uid,
    string Job,
    int Rank,
    string Phase,
    string? Node,
    IReadOnlyList<ContainerObservation> Containers,
    bool Unschedulable,
    string? SchedulingMessage,
    string? Reason,
    string? Message,
    bool Deleting,
    DateTimeOffset? CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    string? WorkspaceId = null)
{
    /// <summary>Whether this is a pod of <paramref name="record"/>: its Kubernetes name and namespace, and labelled for its workspace (<see cref="TrainingJob.Owns"/>).</summary>
    public bool BelongsTo(TrainingJob record) => Namespace == record.Namespace && Job == record.KubernetesName && record.Owns(WorkspaceId);

    public bool Ended => Phase is "Succeeded" or "Failed";

    public int Restarts => Containers.Sum(c => c.Restarts);

    public PodObservation ToObservation() => new(Name, Rank, Phase, Node, Containers, Unschedulable, SchedulingMessage, Reason, Message, Deleting);
}
