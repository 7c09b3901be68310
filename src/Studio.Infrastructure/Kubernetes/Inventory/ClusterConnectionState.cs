namespace Studio.Infrastructure.Kubernetes.Inventory;

/// <summary>How the studio's view of a cluster stands.</summary>
public enum ClusterConnectionState
{
    /// <summary>First list in progress.</summary>
    Connecting,

    /// <summary>Listed and watching.</summary>
    Connected,

    /// <summary>Was in sync, lost its watch; showing the last state seen (stale).</summary>
    Degraded,

    /// <summary>Never reached, or no credentials.</summary>
    Unreachable,
}
