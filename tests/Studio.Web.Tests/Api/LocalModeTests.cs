using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Studio.Web.Security;
using Studio.Web.Tests.Shared;

namespace Studio.Web.Tests.Api;

public sealed class LocalModeTests
{
    [Fact]
    public async Task LocalMode_RequestFromLoopback_ActsAsLocalAdministrator_AndDefaultWorkspaceExists()
    {
        await using var factory = new StudioWebFactory { UseTestAuthentication = false };
        var client = factory.CreateClient();

        var workspaces = await client.GetFromJsonAsync<JsonElement[]>("/api/workspaces", Xunit.TestContext.Current.CancellationToken);

        var only = Assert.Single(workspaces!);
        Assert.Equal("default", only.GetProperty("name").GetString());
        Assert.Equal("Administrator", only.GetProperty("yourRole").GetString());
    }

    [Theory]
    [InlineData("http://0.0.0.0:5000")]
    [InlineData("http://*:5000")]
    [InlineData("http://+:80")]
    [InlineData("http://10.1.2.3:5000")]
    [InlineData("http://localhost:5000;http://studio.contoso.com:80")]
    public void LocalMode_OnNonLoopbackAddress_RefusesToStart(string urls)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["urls"] = urls }).Build();

        var error = Assert.Throws<InvalidOperationException>(() => LoopbackGuard.EnsureLocalModeIsSafe(configuration, new AuthOptions()));

        Assert.Contains("only listens on loopback", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://localhost:5000")]
    [InlineData("http://127.0.0.1:5000")]
    [InlineData("http://[::1]:5000")]
    public void LocalMode_OnLoopback_Starts(string urls)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["urls"] = urls }).Build();

        LoopbackGuard.EnsureLocalModeIsSafe(configuration, new AuthOptions());
    }

    [Fact]
    public void LocalMode_OnNetworkWithExplicitOverride_Starts()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["urls"] = "http://0.0.0.0:5000" }).Build();

        LoopbackGuard.EnsureLocalModeIsSafe(configuration, new AuthOptions { AllowLocalModeOnNetwork = true });
    }

    [Theory]
    [InlineData("/jobs?x=1", "/jobs?x=1")]
    [InlineData("https://evil.example/", "/")]
    [InlineData("//evil.example/", "/")]
    [InlineData("/\\evil.example", "/")]
    [InlineData(null, "/")]
    public void SignIn_ReturnUrl_IsNeverAnOpenRedirect(string? returnUrl, string expected) =>
        Assert.Equal(expected, AccountEndpoints.SafeReturnUrl(returnUrl));

    [Fact]
    public async Task UnknownPage_InBrowser_Shows404Page_AndApiGetsProblemDetails()
    {
        await using var factory = new StudioWebFactory { UseTestAuthentication = false };
        var client = factory.CreateClient();

        var page = await client.GetAsync("/no-such-page", Xunit.TestContext.Current.CancellationToken);
        var api = await client.GetAsync("/api/no-such-thing", Xunit.TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
        Assert.Contains("There is nothing at this address", await page.Content.ReadAsStringAsync(Xunit.TestContext.Current.CancellationToken), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, api.StatusCode);
        Assert.Equal("application/problem+json", api.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task SignOut_WithoutAntiforgeryToken_IsRejected()
    {
        await using var factory = new StudioWebFactory { UseTestAuthentication = false };
        var client = factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        var response = await client.PostAsync("/account/signout", new FormUrlEncodedContent([]), Xunit.TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }
}
