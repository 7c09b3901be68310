namespace Studio.Domain.Workspaces;

/// <summary>Provisioning state of a compute target, as in Azure ML (Creating → Succeeded/Failed; Detaching while it is unlinked).</summary>
public enum ComputeTargetState
{
    Creating,
    Succeeded,
    Failed,
    Detaching,
}
