using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Studio.Web.Components.Pages;
using Studio.Web.Security;
using Studio.Web.Tests.Shared;

namespace Studio.Web.Tests.Pages;

public sealed class AdministrationPageTests : StudioTestContext
{
    public AdministrationPageTests() => Services.AddOptions<AuthOptions>();

    [Fact]
    public void WithoutAKeyEncryptionCertificate_WarnsThatACopyOfTheDatabaseDecryptsEveryCredential()
    {
        SignIn("admin", StudioRoles.Administrator);

        var cut = Render<Administration>();

        cut.WaitForAssertion(() => Assert.Contains("anyone with a copy of the database can decrypt every cluster credential", cut.Find("[data-testid=key-protection-warning]").TextContent, StringComparison.Ordinal));
        Assert.Equal("Not encrypted", cut.Find("[data-testid=key-protection]").TextContent);
    }
}
