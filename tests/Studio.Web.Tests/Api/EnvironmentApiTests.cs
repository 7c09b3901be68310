using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Studio.Web.Security;
using Studio.Web.Tests.Shared;

namespace Studio.Web.Tests.Api;

public sealed class EnvironmentApiTests : IAsyncLifetime
{
    private readonly StudioWebFactory _factory = new();

    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        var admin = _factory.AsUser("admin", StudioRoles.Administrator);
        (await admin.PostAsJsonAsync("/api/workspaces", new { name = "nlp" }, Ct)).EnsureSuccessStatusCode();
        (await admin.PutAsJsonAsync("/api/workspaces/nlp/members/dana", new { role = "DataScientist" }, Ct)).EnsureSuccessStatusCode();
        (await admin.PutAsJsonAsync("/api/workspaces/nlp/members/rob", new { role = "Reader" }, Ct)).EnsureSuccessStatusCode();
        (await admin.PostAsJsonAsync("/api/workspaces", new { name = "vision" }, Ct)).EnsureSuccessStatusCode();
    }

    public async ValueTask DisposeAsync() => await _factory.DisposeAsync();

    [Fact]
    public async Task Register_WithoutVersion_NumbersVersionsAndListsNewestFirst()
    {
        var dana = _factory.AsUser("dana");

        var first = await dana.PostAsJsonAsync("/api/workspaces/nlp/environments", new { name = "torch-train", image = "myregistry.azurecr.io/torch:2.3" }, Ct);
        var second = await dana.PostAsJsonAsync("/api/workspaces/nlp/environments", new { name = "torch-train", image = "myregistry.azurecr.io/torch:2.4" }, Ct);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal("/api/workspaces/nlp/environments/torch-train/versions/2", second.Headers.Location?.OriginalString);
        var list = await dana.GetFromJsonAsync<JsonElement[]>("/api/workspaces/nlp/environments", Ct);
        var own = list!.Where(e => e.GetProperty("source").GetString() == "Workspace").ToList();
        Assert.Equal(["2", "1"], own.Select(e => e.GetProperty("version").GetString()));
        Assert.Equal("azureml:torch-train:2", own[0].GetProperty("reference").GetString());
        Assert.Contains(list!, e => e.GetProperty("source").GetString() == "Curated");
    }

    [Fact]
    public async Task Register_ExistingVersion_Is409AndKeepsTheFirstImage()
    {
        var dana = _factory.AsUser("dana");
        await dana.PostAsJsonAsync("/api/workspaces/nlp/environments", new { name = "base", version = "1", image = "python:3.12-slim" }, Ct);

        var again = await dana.PostAsJsonAsync("/api/workspaces/nlp/environments", new { name = "base", version = "1", image = "python:3.13-slim" }, Ct);

        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        var list = await dana.GetFromJsonAsync<JsonElement[]>("/api/workspaces/nlp/environments", Ct);
        Assert.Equal("python:3.12-slim", list!.Single(e => e.GetProperty("name").GetString() == "base").GetProperty("image").GetString());
    }

    [Fact]
    public async Task Register_WithBadNameAndImage_ReturnsFieldMessages()
    {
        var response = await _factory.AsUser("dana").PostAsJsonAsync("/api/workspaces/nlp/environments", new { name = "-bad name", image = "Not An Image" }, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("errors");
        Assert.Equal("The name must start with a letter or a digit.", errors.GetProperty("name")[0].GetString());
        Assert.Contains("contains spaces", errors.GetProperty("image")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reader_CanListButNotRegister_AndOtherWorkspacesAreHidden()
    {
        var rob = _factory.AsUser("rob");

        Assert.Equal(HttpStatusCode.OK, (await rob.GetAsync("/api/workspaces/nlp/environments", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await rob.PostAsJsonAsync("/api/workspaces/nlp/environments", new { name = "x", image = "python:3.12" }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await rob.GetAsync("/api/workspaces/vision/environments", Ct)).StatusCode);
    }

    [Fact]
    public async Task Remove_DeletesOneVersion()
    {
        var dana = _factory.AsUser("dana");
        await dana.PostAsJsonAsync("/api/workspaces/nlp/environments", new { name = "tf", image = "tensorflow/tensorflow:2.16.1" }, Ct);
        await dana.PostAsJsonAsync("/api/workspaces/nlp/environments", new { name = "tf", image = "tensorflow/tensorflow:2.17.0" }, Ct);

        Assert.Equal(HttpStatusCode.NoContent, (await dana.DeleteAsync("/api/workspaces/nlp/environments/tf/versions/1", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await dana.DeleteAsync("/api/workspaces/nlp/environments/tf/versions/1", Ct)).StatusCode);

        var list = await dana.GetFromJsonAsync<JsonElement[]>("/api/workspaces/nlp/environments", Ct);
        Assert.Equal(["2"], list!.Where(e => e.GetProperty("name").GetString() == "tf").Select(e => e.GetProperty("version").GetString()));
    }
}
