using Studio.Domain.Jobs;

namespace Studio.Infrastructure.Jobs;

/// <summary>The slim projection of a pod of a Studio training job (label <c>studio.io/job</c>): what the status mapping and the detail page need.</summary>
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
    DateTimeOffset? FinishedAt)
{
    public bool Ended => Phase is "Succeeded" or "Failed";

    public int Restarts => Containers.Sum(c => c.Restarts);

    public PodObservation ToObservation() => new(Name, Rank, Phase, Node, Containers, Unschedulable, SchedulingMessage, Reason, Message, Deleting);
}
