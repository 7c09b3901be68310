namespace Studio.Domain.Workspaces;

/// <summary>A cluster attached to a workspace, bound to one namespace.</summary>
public sealed class ComputeTarget
{
    private ComputeTarget()
    {
        Name = string.Empty;
        Namespace = string.Empty;
    }

    internal ComputeTarget(string name, Guid clusterId, string @namespace, string? description, DateTimeOffset attachedAt)
    {
        Name = name;
        ClusterId = clusterId;
        Namespace = @namespace;
        Description = description;
        AttachedAt = attachedAt;
    }

    public string Name { get; private set; }

    public Guid ClusterId { get; private set; }

    /// <summary>The Kubernetes namespace every workload of this compute target runs in. Immutable, as in Azure ML.</summary>
    public string Namespace { get; private set; }

    public string? Description { get; private set; }

    public DateTimeOffset AttachedAt { get; private set; }
}
