namespace Studio.Domain.Endpoints;

/// <summary>The provisioning state of an online endpoint or deployment, in Azure ML's words (<c>provisioning_state</c>).</summary>
public enum EndpointState
{
    Creating,
    Updating,
    Succeeded,
    Failed,
    Deleting,
}
