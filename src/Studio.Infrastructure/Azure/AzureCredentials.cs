using Azure.Core;
using Azure.Identity;

namespace Studio.Infrastructure.Azure;

/// <summary>Turns a validated <see cref="AzureSignIn"/> into an Azure.Identity credential.</summary>
internal static class AzureCredentials
{
    public static TokenCredential Create(AzureSignIn signIn, AzureOptions options)
    {
        var authority = string.IsNullOrWhiteSpace(options.AuthorityHost) ? null : new Uri(options.AuthorityHost, UriKind.Absolute);
        switch (signIn.Kind)
        {
            case AzureCredentialKind.ServicePrincipal:
                var spOptions = new ClientSecretCredentialOptions();
                if (authority is not null)
                {
                    spOptions.AuthorityHost = authority;
                }

                return new ClientSecretCredential(signIn.TenantId!.Trim(), signIn.ClientId!.Trim(), signIn.ClientSecret, spOptions);
            case AzureCredentialKind.ManagedIdentity:
                var id = string.IsNullOrWhiteSpace(signIn.ClientId)
                    ? ManagedIdentityId.SystemAssigned
                    : ManagedIdentityId.FromUserAssignedClientId(signIn.ClientId.Trim());
                var miOptions = new ManagedIdentityCredentialOptions(id);
                if (authority is not null)
                {
                    miOptions.AuthorityHost = authority;
                }

                return new ManagedIdentityCredential(miOptions);
            default:
                throw new ArgumentOutOfRangeException(nameof(signIn), signIn.Kind, "Unknown credential kind.");
        }
    }
}
