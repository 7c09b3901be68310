using Studio.Domain.Common;

namespace Studio.Infrastructure.Azure;

/// <summary>
/// The identity the studio uses to call Azure Resource Manager. A service principal needs tenant, client id and secret;
/// a managed identity takes an optional client id (user-assigned). <see cref="ToString"/> never shows the secret.
/// </summary>
public sealed record AzureSignIn(AzureCredentialKind Kind, string? TenantId, string? ClientId, string? ClientSecret)
{
    public static AzureSignIn ServicePrincipal(string tenantId, string clientId, string clientSecret) =>
        new(AzureCredentialKind.ServicePrincipal, tenantId, clientId, clientSecret);

    public static AzureSignIn ManagedIdentity(string? clientId = null) =>
        new(AzureCredentialKind.ManagedIdentity, null, clientId, null);

    /// <summary>Field-level problems (<c>tenantId</c>, <c>clientId</c>, <c>clientSecret</c>); empty when the sign-in can be tried.</summary>
    public IReadOnlyList<Error> Validate()
    {
        var errors = new List<Error>();
        switch (Kind)
        {
            case AzureCredentialKind.ServicePrincipal:
                if (string.IsNullOrWhiteSpace(TenantId))
                {
                    errors.Add(Error.Validation("tenantId", "Enter the tenant (directory) id of the service principal."));
                }

                if (string.IsNullOrWhiteSpace(ClientId))
                {
                    errors.Add(Error.Validation("clientId", "Enter the application (client) id of the service principal."));
                }

                if (string.IsNullOrWhiteSpace(ClientSecret))
                {
                    errors.Add(Error.Validation("clientSecret", "Enter a client secret of the service principal."));
                }

                break;
            case AzureCredentialKind.ManagedIdentity:
                if (!string.IsNullOrEmpty(ClientSecret))
                {
                    errors.Add(Error.Validation("clientSecret", "A managed identity has no secret: leave the client secret empty."));
                }

                break;
            default:
                errors.Add(Error.Validation("kind", "Choose a service principal or a managed identity."));
                break;
        }

        return errors;
    }

    /// <summary>Shows who signs in, never the secret.</summary>
    public override string ToString() =>
        $"AzureSignIn {{ Kind = {Kind}, TenantId = {TenantId}, ClientId = {ClientId}, ClientSecret = {(ClientSecret is null ? "null" : "***")} }}";
}
