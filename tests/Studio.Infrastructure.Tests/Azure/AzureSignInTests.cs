using Azure.Identity;
using Studio.Domain.Common;
using Studio.Infrastructure.Azure;

namespace Studio.Infrastructure.Tests.Azure;

public sealed class AzureSignInTests
{
    [Fact]
    public void Validate_ServicePrincipalWithNothing_ReportsTenantClientIdAndSecretFields()
    {
        var errors = new AzureSignIn(AzureCredentialKind.ServicePrincipal, null, "", "  ").Validate();

        Assert.Equal(["tenantId", "clientId", "clientSecret"], errors.Select(e => e.Field));
        Assert.All(errors, e => Assert.Equal(ErrorKind.Validation, e.Kind));
    }

    [Fact]
    public void Validate_ManagedIdentityWithOrWithoutClientId_IsValid()
    {
        Assert.Empty(AzureSignIn.ManagedIdentity().Validate());
        Assert.Empty(AzureSignIn.ManagedIdentity("7e0e0b0a-1111-2222-3333-444455556666").Validate());
    }

    [Fact]
    public void Validate_ManagedIdentityWithSecret_ReportsClientSecretField()
    {
        var errors = new AzureSignIn(AzureCredentialKind.ManagedIdentity, null, null, "oops").Validate();

        Assert.Equal("clientSecret", Assert.Single(errors).Field);
    }

    [Fact]
    public void ToString_HidesTheSecret()
    {
        var text = AzureSignIn.ServicePrincipal("tenant-1", "client-1", "very-secret-value").ToString();

        Assert.DoesNotContain("very-secret-value", text, StringComparison.Ordinal);
        Assert.Contains("client-1", text, StringComparison.Ordinal);
    }

    [Fact]
    public void CreateCredential_ForEachKind_UsesTheMatchingAzureIdentityCredential()
    {
        var options = new AzureOptions { AuthorityHost = "https://login.microsoftonline.us/" };

        Assert.IsType<ClientSecretCredential>(AzureCredentials.Create(AzureSignIn.ServicePrincipal("tenant-1", "client-1", "secret"), options));
        Assert.IsType<ManagedIdentityCredential>(AzureCredentials.Create(AzureSignIn.ManagedIdentity(), options));
        Assert.IsType<ManagedIdentityCredential>(AzureCredentials.Create(AzureSignIn.ManagedIdentity("client-1"), options));
    }
}
