namespace Studio.Infrastructure.Persistence;

/// <summary>A compute target seen from its cluster: which workspace uses which namespace under which name.</summary>
public sealed record ComputeAttachment(Guid ClusterId, string Workspace, string Compute, string Namespace)
{
    public override string ToString() => $"{Workspace}/{Compute}";
}
