namespace Studio.Infrastructure.Leadership;

/// <summary>How replicas choose their leader (<c>Studio:Leadership:Mode</c>).</summary>
public enum LeadershipMode
{
    /// <summary>A Kubernetes Lease when running in a cluster with PostgreSQL; a PostgreSQL advisory lock otherwise; SQLite: one process, always the leader.</summary>
    Auto,

    /// <summary>This process always leads (a single replica; SQLite).</summary>
    Single,

    /// <summary>A session-level PostgreSQL advisory lock held on a dedicated connection.</summary>
    Database,

    /// <summary>A <c>coordination.k8s.io/v1</c> Lease in the studio's namespace, through KubernetesClient's leader election.</summary>
    Kubernetes,
}
