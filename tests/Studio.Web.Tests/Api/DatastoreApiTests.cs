using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Studio.Web.Security;
using Studio.Web.Tests.Shared;

namespace Studio.Web.Tests.Api;

/// <summary>The datastores API: administrators create, change, test and delete; members list; secrets never come back; bad input is 400 by field.</summary>
public sealed class DatastoreApiTests : IAsyncLifetime
{
    private const string Secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    private readonly StudioWebFactory _factory = new();

    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        var admin = _factory.AsUser("admin", StudioRoles.Administrator);
        (await admin.PostAsJsonAsync("/api/workspaces", new { name = "nlp" }, Ct)).EnsureSuccessStatusCode();
        (await admin.PutAsJsonAsync("/api/workspaces/nlp/members/dana", new { role = "DataScientist" }, Ct)).EnsureSuccessStatusCode();
        (await admin.PostAsJsonAsync("/api/workspaces", new { name = "vision" }, Ct)).EnsureSuccessStatusCode();
        (await admin.PutAsJsonAsync("/api/workspaces/vision/members/bob", new { role = "DataScientist" }, Ct)).EnsureSuccessStatusCode();
    }

    public async ValueTask DisposeAsync() => await _factory.DisposeAsync();

    private static object S3Body(string name = "minio", string endpoint = "http://127.0.0.1:9000") => new
    {
        name,
        kind = "S3",
        endpoint,
        container = "training-data",
        prefix = "team-a",
        auth = "AccessKey",
        region = "eu-west-1",
        credentials = new { accessKeyId = "AKIAEXAMPLE", secretAccessKey = Secret },
    };

    [Fact]
    public async Task Create_AsAdministrator_Is201_AndMembersListItWithoutItsSecret_OtherWorkspacesDoNotSeeIt()
    {
        var admin = _factory.AsUser("admin", StudioRoles.Administrator);

        var created = await admin.PostAsJsonAsync("/api/workspaces/nlp/datastores", S3Body(), Ct);

        var text = await created.Content.ReadAsStringAsync(Ct);
        Assert.True(created.StatusCode == HttpStatusCode.Created, text);
        Assert.Equal("/api/workspaces/nlp/datastores/minio", created.Headers.Location!.OriginalString);
        var listed = await _factory.AsUser("dana").GetStringAsync("/api/workspaces/nlp/datastores", Ct);
        Assert.DoesNotContain(Secret, text + listed, StringComparison.Ordinal);
        Assert.DoesNotContain("AKIAEXAMPLE", text + listed, StringComparison.Ordinal);
        var list = JsonDocument.Parse(listed).RootElement.EnumerateArray().ToList();
        Assert.Equal(["workspaceblobstore", "minio"], list.Select(d => d.GetProperty("name").GetString()));
        Assert.True(list[1].GetProperty("hasSecret").GetBoolean());
        Assert.Equal(HttpStatusCode.NotFound, (await _factory.AsUser("bob").GetAsync("/api/workspaces/nlp/datastores/minio", Ct)).StatusCode);
        Assert.Equal(["workspaceblobstore"], (await _factory.AsUser("bob").GetFromJsonAsync<JsonElement[]>("/api/workspaces/vision/datastores", Ct))!.Select(d => d.GetProperty("name").GetString()));
    }

    [Fact]
    public async Task DataScientist_CannotCreate_AndBadFieldsAre400NamingEach()
    {
        var forbidden = await _factory.AsUser("dana").PostAsJsonAsync("/api/workspaces/nlp/datastores", S3Body(), Ct);
        var bad = await _factory.AsUser("admin", StudioRoles.Administrator).PostAsJsonAsync(
            "/api/workspaces/nlp/datastores",
            new { name = "1bad", kind = "AzureBlob", endpoint = "ftp://x", container = "Bad_Name", auth = "AccountKey", credentials = new { sasToken = "sv=1" } },
            Ct);

        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var problem = await bad.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var fields = problem.GetProperty("errors").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Equal(["container", "credentials.accountKey", "credentials.sasToken", "endpoint", "name"], fields.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task TestConnection_ToAHostThatDoesNotAnswer_NamesTheCause_AndDeleteRemovesIt()
    {
        var admin = _factory.AsUser("admin", StudioRoles.Administrator);
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        (await admin.PostAsJsonAsync("/api/workspaces/nlp/datastores", S3Body("gone", $"http://127.0.0.1:{port}"), Ct)).EnsureSuccessStatusCode();

        var tested = await admin.PostAsync("/api/workspaces/nlp/datastores/gone/test-connection", null, Ct);

        var result = await tested.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(HttpStatusCode.OK, tested.StatusCode);
        Assert.False(result.GetProperty("ok").GetBoolean());
        Assert.Equal("unreachable", result.GetProperty("cause").GetString());
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync("/api/workspaces/nlp/datastores/gone", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/api/workspaces/nlp/datastores/gone", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await admin.DeleteAsync("/api/workspaces/nlp/datastores/workspaceblobstore", Ct)).StatusCode);
    }
}
