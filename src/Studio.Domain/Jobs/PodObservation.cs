namespace Studio.Domain.Jobs;

/// <summary>
/// One pod of a job as the status mapping sees it: rank (completion index), phase, node, whether the scheduler refused it
/// (and its <c>FailedScheduling</c> message), the pod's own reason (<c>DeadlineExceeded</c>, <c>Evicted</c>,
/// <c>NodeLost</c>...), whether it is being deleted, and its containers.
/// </summary>
public sealed record PodObservation(
    string Name,
    int Rank,
    string Phase,
    string? Node,
    IReadOnlyList<ContainerObservation> Containers,
    bool Unschedulable = false,
    string? SchedulingMessage = null,
    string? Reason = null,
    string? Message = null,
    bool Deleting = false);
