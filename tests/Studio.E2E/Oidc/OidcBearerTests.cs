using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;

namespace Studio.E2E.Oidc;

/// <summary>The studio API with JWT access tokens from the same OpenID Connect provider the browser signs in with.</summary>
[Collection(OidcCollection.Name)]
public sealed class OidcBearerTests(OidcEnvironment environment)
{
    [Fact]
    public async Task Api_WithAdminBearerToken_ListsWorkspaces()
    {
        using var client = await ApiClientAsync("automation-admin");

        using var response = await client.GetAsync("/api/workspaces", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Contains(body.RootElement.EnumerateArray(), w => w.GetProperty("name").GetString() == "default");
    }

    [Fact]
    public async Task Api_WithAdminBearerToken_CreatesWorkspace()
    {
        using var client = await ApiClientAsync("automation-admin");

        using var response = await client.PostAsJsonAsync("/api/workspaces", new { name = "oidc-admin-made", description = "made with a bearer token" }, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task Api_WithReaderBearerToken_ListsWorkspacesButCannotCreateOne()
    {
        using var client = await ApiClientAsync("automation-reader");

        using var list = await client.GetAsync("/api/workspaces", TestContext.Current.CancellationToken);
        using var create = await client.PostAsJsonAsync("/api/workspaces", new { name = "oidc-reader-made", description = "must be refused" }, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, create.StatusCode);
    }

    [Fact]
    public async Task Api_WithoutToken_Returns401NotARedirect()
    {
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = environment.Studio.BaseAddress };

        using var response = await client.GetAsync("/api/workspaces", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Null(response.Headers.Location);
    }

    [Fact]
    public async Task Api_WithTokenForAnotherAudience_Returns401()
    {
        // A JWT with admin roles from the same provider, but issued for another API.
        var token = await OidcTokens.ClientCredentialsAsync(environment.Provider.Issuer, "automation-admin", "urn:other:api", TestContext.Current.CancellationToken);
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = environment.Studio.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

        using var response = await client.GetAsync("/api/workspaces", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Hub_WithABearerToken_ClosesWhenTheTokenExpires_AndAFreshTokenSubscribesAgain()
    {
        var ct = TestContext.Current.CancellationToken;
        var tokens = 0;
        var closed = new TaskCompletionSource<Exception?>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var hub = new HubConnectionBuilder()
            .WithUrl(new Uri(environment.Studio.BaseAddress, "/hubs/live"), o => o.AccessTokenProvider = async () =>
            {
                Interlocked.Increment(ref tokens);
                return await OidcTokens.ClientCredentialsAsync(environment.Provider.Issuer, "automation-admin-brief", OidcStudioFactory.ApiAudience, ct);
            })
            .Build();
        hub.Closed += e =>
        {
            closed.TrySetResult(e);
            return Task.CompletedTask;
        };
        var updates = 0;
        hub.On<System.Text.Json.JsonElement>("Update", _ => Interlocked.Increment(ref updates));

        await hub.StartAsync(ct);
        await hub.InvokeAsync("Subscribe", "workspace:default", ct);
        var tokensAtFirstStart = tokens;

        // The token lives 10 s: the studio ends the connection then (before, it kept streaming for as long as it stayed open).
        var ended = await Task.WhenAny(closed.Task, Task.Delay(TimeSpan.FromSeconds(90), ct));
        Assert.True(ended == closed.Task, "The hub connection was still open 90 s after its 10 s token expired.");
        Assert.True(updates >= 1, "The subscription got its snapshot before the token expired.");

        // Starting again asks for a fresh token (with the provider's current roles) and subscribes as before.
        await hub.StartAsync(ct);
        await hub.InvokeAsync("Subscribe", "workspace:default", ct);
        Assert.True(tokens > tokensAtFirstStart, "Starting again asked the provider for a fresh token.");
        await hub.StopAsync(ct);
    }

    private async Task<HttpClient> ApiClientAsync(string clientId)
    {
        var token = await OidcTokens.ClientCredentialsAsync(environment.Provider.Issuer, clientId, OidcStudioFactory.ApiAudience, TestContext.Current.CancellationToken);
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = environment.Studio.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }
}
