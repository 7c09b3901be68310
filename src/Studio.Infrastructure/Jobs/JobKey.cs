namespace Studio.Infrastructure.Jobs;

/// <summary>A job as the tracker queues it: its cluster, namespace and name.</summary>
internal readonly record struct JobKey(Guid ClusterId, string Namespace, string Name);
