namespace Studio.Infrastructure.Azure;

/// <summary>How the studio signs in to Azure Resource Manager.</summary>
public enum AzureCredentialKind
{
    /// <summary>An app registration with a client secret (tenant, client id and secret all required).</summary>
    ServicePrincipal,

    /// <summary>The host's managed identity: system-assigned, or user-assigned when a client id is given.</summary>
    ManagedIdentity,
}
