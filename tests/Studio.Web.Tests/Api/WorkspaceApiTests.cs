using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Studio.Web.Security;
using Studio.Web.Tests.Shared;

namespace Studio.Web.Tests.Api;

public sealed class WorkspaceApiTests : IAsyncLifetime
{
    private readonly StudioWebFactory _factory = new();

    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync() => await _factory.DisposeAsync();

    [Fact]
    public async Task Create_AsReader_Returns403AndCreatesNothing()
    {
        var reader = _factory.AsUser("rob", StudioRoles.Reader);

        var response = await reader.PostAsJsonAsync("/api/workspaces", new { name = "robs" }, Ct);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var list = await _factory.AsUser("admin", StudioRoles.Administrator).GetFromJsonAsync<JsonElement[]>("/api/workspaces", Ct);
        Assert.DoesNotContain(list!, w => w.GetProperty("name").GetString() == "robs");
    }

    [Fact]
    public async Task Anonymous_Returns401_NotARedirect()
    {
        var response = await _factory.AsUser(null).GetAsync("/api/workspaces", Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Create_WithInvalidName_ReturnsProblemDetailsWithFieldMessage()
    {
        var admin = _factory.AsUser("admin", StudioRoles.Administrator);

        var response = await admin.PostAsJsonAsync("/api/workspaces", new { name = "no spaces allowed" }, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("Use only letters, digits, hyphens (-) and underscores (_).", problem.GetProperty("errors").GetProperty("name")[0].GetString());
    }

    [Fact]
    public async Task Lifecycle_CreateRenameMembersDelete_WorksByName()
    {
        var admin = _factory.AsUser("admin", StudioRoles.Administrator);

        var created = await admin.PostAsJsonAsync("/api/workspaces", new { name = "vision", description = "cv" }, Ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("/api/workspaces/vision", created.Headers.Location?.OriginalString);

        var renamed = await admin.PatchAsJsonAsync("/api/workspaces/vision", new { name = "vision-2" }, Ct);
        Assert.Equal(HttpStatusCode.OK, renamed.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/api/workspaces/vision", Ct)).StatusCode);

        var member = await admin.PutAsJsonAsync("/api/workspaces/vision-2/members/dana", new { role = "DataScientist" }, Ct);
        Assert.Equal(HttpStatusCode.NoContent, member.StatusCode);
        var dana = _factory.AsUser("dana");
        var seen = await dana.GetFromJsonAsync<JsonElement>("/api/workspaces/vision-2", Ct);
        Assert.Equal("DataScientist", seen.GetProperty("yourRole").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, (await dana.DeleteAsync("/api/workspaces/vision-2", Ct)).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync("/api/workspaces/vision-2", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/api/workspaces/vision-2", Ct)).StatusCode);
    }

    [Fact]
    public async Task Workspace_OfOtherTeam_IsNotFoundForNonMember()
    {
        var admin = _factory.AsUser("admin", StudioRoles.Administrator);
        await admin.PostAsJsonAsync("/api/workspaces", new { name = "secret" }, Ct);

        var response = await _factory.AsUser("eve").GetAsync("/api/workspaces/secret", Ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task RemovingLastAdministrator_Returns409WithReason()
    {
        var admin = _factory.AsUser("admin", StudioRoles.Administrator);
        await admin.PostAsJsonAsync("/api/workspaces", new { name = "solo" }, Ct);

        var response = await admin.DeleteAsync("/api/workspaces/solo/members/admin", Ct);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("last_administrator", problem.GetProperty("code").GetString());
    }

    [Fact]
    public async Task OpenApi_ListsTheWorkspaceApi()
    {
        var document = await _factory.AsUser("rob", StudioRoles.Reader).GetFromJsonAsync<JsonElement>("/openapi/v1.json", Ct);

        var paths = document.GetProperty("paths");
        Assert.True(paths.TryGetProperty("/api/workspaces", out _));
        Assert.True(paths.TryGetProperty("/api/workspaces/{name}/members/{userId}", out _));
    }

    [Fact]
    public async Task Health_ReadyAndLive_AnswerHealthyWithoutSignIn()
    {
        var anonymous = _factory.AsUser(null);

        Assert.Equal("Healthy", await anonymous.GetStringAsync("/healthz/ready", Ct));
        Assert.Equal("Healthy", await anonymous.GetStringAsync("/healthz/live", Ct));
    }

    [Fact]
    public async Task Responses_CarrySecurityHeaders()
    {
        var response = await _factory.AsUser(null).GetAsync("/healthz/live", Ct);

        Assert.Contains("frame-ancestors 'none'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
    }
}
