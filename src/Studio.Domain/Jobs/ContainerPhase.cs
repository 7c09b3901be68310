namespace Studio.Domain.Jobs;

/// <summary>Which of the kubelet's three container states applies.</summary>
public enum ContainerPhase
{
    Waiting,
    Running,
    Terminated,
}
