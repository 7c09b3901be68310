namespace Studio.Infrastructure.Monitoring;

/// <summary>The workloads panels for one cluster and time range, from the job records.</summary>
public sealed record WorkloadView(
    int Jobs,
    IReadOnlyList<(string State, int Count)> ByState,
    IReadOnlyList<QueueRow> Queues,
    IReadOnlyList<(string Reason, int Count)> Failures)
{
    public static WorkloadView Empty { get; } = new(0, [], [], []);
}
