namespace Studio.Domain.Workspaces;

/// <summary>An optional ResourceQuota for a compute target's namespace (Kubernetes quantities; null means no limit).</summary>
public sealed record NamespaceQuota(string? Cpu, string? Memory, int? Gpu)
{
    public bool IsEmpty => Cpu is null && Memory is null && Gpu is null;
}
