namespace Studio.Infrastructure.Live;

/// <summary>What a live scope covers.</summary>
public enum LiveScopeKind
{
    /// <summary>Nodes and pods of a cluster.</summary>
    Cluster,

    /// <summary>Pods in the namespaces of a workspace's compute targets, and its jobs.</summary>
    Workspace,

    /// <summary>One job's record and pods.</summary>
    Job,

    /// <summary>One online endpoint's pods.</summary>
    Endpoint,
}
