namespace Studio.Infrastructure.Jobs;

/// <summary>How a distributed job's pods are placed all-or-nothing on a cluster (found through API discovery).</summary>
public enum GangScheduler
{
    /// <summary>The pod-group label and min-member annotation (<c>scheduling.x-k8s.io/*</c>): the sandbox and the scheduler-plugins coscheduling plugin.</summary>
    PodGroupLabel,

    /// <summary>Volcano: a <c>scheduling.volcano.sh/v1beta1</c> PodGroup and <c>schedulerName: volcano</c>.</summary>
    Volcano,

    /// <summary>Kueue: the <c>kueue.x-k8s.io/queue-name</c> label on the Job (Kueue admits the whole Job at once).</summary>
    Kueue,
}
