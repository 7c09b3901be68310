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
    [InlineData("/\t/evil.example", "/")]
    [InlineData("/\n/evil.example", "/")]
    [InlineData("/\r\n//evil.example", "/")]
    [InlineData("/ /evil.example", "/")]
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

    [Theory]
    [InlineData("http_ports", "8080")]
    [InlineData("https_ports", "8443")]
    public void LocalMode_WithPortsThatBindEveryInterface_RefusesToStart(string key, string ports)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [key] = ports }).Build();

        var error = Assert.Throws<InvalidOperationException>(() => LoopbackGuard.EnsureLocalModeIsSafe(configuration, new AuthOptions()));

        Assert.Contains($"*:{ports}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LocalMode_WithPortsOverriddenByLoopbackUrls_Starts()
    {
        // Kestrel ignores HTTP_PORTS when urls are set, as the default appsettings.json does.
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["http_ports"] = "8080", ["urls"] = "http://localhost:5000" }).Build();

        LoopbackGuard.EnsureLocalModeIsSafe(configuration, new AuthOptions());
    }

    [Fact]
    public async Task SignIn_WithTabSmuggledReturnUrl_RedirectsHome_NotA500()
    {
        await using var factory = new StudioWebFactory { UseTestAuthentication = false };
        var client = factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        var response = await client.GetAsync("/account/signin?returnUrl=/%09/evil.example", Xunit.TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task LocalMode_RequestForAnotherHostName_IsRefused()
    {
        await using var factory = new StudioWebFactory { UseTestAuthentication = false };
        var client = factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/workspaces");
        request.Headers.Host = "attacker.example";

        var response = await client.SendAsync(request, Xunit.TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Theory]
    [InlineData("Origin", "http://attacker.example")]
    [InlineData("Sec-Fetch-Site", "cross-site")]
    [InlineData("Sec-Fetch-Site", "same-site")]
    public async Task LocalMode_CrossOriginPost_IsRefused_AndChangesNothing(string header, string value)
    {
        await using var factory = new StudioWebFactory { UseTestAuthentication = false };
        var client = factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/workspaces") { Content = JsonContent.Create(new { name = "forged" }) };
        request.Headers.Add(header, value);

        var response = await client.SendAsync(request, Xunit.TestContext.Current.CancellationToken);
        var workspaces = await client.GetFromJsonAsync<JsonElement[]>("/api/workspaces", Xunit.TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain(workspaces!, w => w.GetProperty("name").GetString() == "forged");
    }

    [Fact]
    public async Task LocalMode_SameOriginPost_IsAccepted()
    {
        await using var factory = new StudioWebFactory { UseTestAuthentication = false };
        var client = factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/workspaces") { Content = JsonContent.Create(new { name = "mine" }) };
        request.Headers.Add("Origin", "http://localhost");
        request.Headers.Add("Sec-Fetch-Site", "same-origin");

        var response = await client.SendAsync(request, Xunit.TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Theory]
    [InlineData("/hubs/live/negotiate?negotiateVersion=1", "POST")]
    [InlineData("/_blazor/negotiate?negotiateVersion=1", "POST")]
    [InlineData("/hubs/live", "GET")]
    public async Task LocalMode_HubFromForeignOrigin_IsRefused(string path, string method)
    {
        await using var factory = new StudioWebFactory { UseTestAuthentication = false };
        var client = factory.CreateClient();
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        request.Headers.Add("Origin", "http://attacker.example");
        if (method == "GET")
        {
            request.Headers.Add("Upgrade", "websocket");
        }

        var response = await client.SendAsync(request, Xunit.TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }
}
