namespace Studio.Web.Model;

/// <summary>One GPU of a node: free (<see cref="Owner"/> null) or held by a pod of a workspace.</summary>
public sealed record GpuSlot(string? Owner, string? Pod)
{
    public bool Free => Owner is null;
}
