namespace Studio.Infrastructure.Azure;

/// <summary>An AKS or Arc cluster found in a subscription. <c>Fqdn</c> is the AKS API server FQDN (public, else private); null for Arc.</summary>
public sealed record AzureClusterInfo(
    string ResourceId,
    string Name,
    string ResourceGroup,
    string Location,
    AzureClusterKind Kind,
    string? KubernetesVersion,
    string? ProvisioningState,
    string? Fqdn);
