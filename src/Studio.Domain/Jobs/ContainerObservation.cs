namespace Studio.Domain.Jobs;

/// <summary>
/// The state of one container of a job pod, as the kubelet reports it: waiting (with reason such as
/// <c>ImagePullBackOff</c>), running, or terminated (with reason such as <c>OOMKilled</c> and the exit code).
/// <see cref="LastTerminatedReason"/> is the previous attempt's reason (a container restarted after an OOM kill).
/// <see cref="Init"/>: an init container (the step that fetches the job's code and inputs before the command).
/// </summary>
public sealed record ContainerObservation(
    string Name,
    string Image,
    ContainerPhase Phase,
    string? Reason = null,
    string? Message = null,
    int? ExitCode = null,
    int Restarts = 0,
    long? MemoryLimitBytes = null,
    string? LastTerminatedReason = null,
    bool Init = false);
