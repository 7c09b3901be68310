using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Studio.Sandbox.Hosting;
using Studio.Web.Security;
using Studio.Web.Tests.Shared;

namespace Studio.Web.Tests.Api;

public sealed class ClusterApiTests : IAsyncLifetime
{
    private readonly StudioWebFactory _factory = new() { SandboxEnabled = true };

    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync() => await _factory.DisposeAsync();

    private async Task<string> KubeconfigAsync(string context) =>
        (await _factory.Services.GetRequiredService<SandboxHost>().Ready).CreateKubeconfigYaml(context);

    [Fact]
    public async Task List_AsReader_ShowsEmbeddedSandboxConnectedWithoutCredentials()
    {
        var response = await _factory.AsUser("rob", StudioRoles.Reader).GetAsync("/api/clusters", Ct);

        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var cluster = JsonDocument.Parse(body).RootElement.EnumerateArray().Single();
        Assert.Equal("sandbox", cluster.GetProperty("cluster").GetProperty("name").GetString());
        Assert.Equal("Connected", cluster.GetProperty("live").GetProperty("state").GetString());
        Assert.DoesNotContain(Studio.Sandbox.SandboxServer.DevToken, body, StringComparison.Ordinal);
        Assert.DoesNotContain("kubeconfig", body, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Register_AsReader_Returns403()
    {
        var response = await _factory.AsUser("rob", StudioRoles.Reader).PostAsJsonAsync("/api/clusters", new { name = "x", kubeconfig = await KubeconfigAsync("x") }, Ct);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Register_WithExecPlugin_Returns400NamingTheField()
    {
        var kubeconfig = (await KubeconfigAsync("exec")).Replace("token: " + Studio.Sandbox.SandboxServer.DevToken, "exec:\n      apiVersion: client.authentication.k8s.io/v1beta1\n      command: aws", StringComparison.Ordinal);

        var response = await _factory.AsUser("admin", StudioRoles.Administrator).PostAsJsonAsync("/api/clusters", new { name = "exec", kubeconfig }, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.True(problem.GetProperty("errors").TryGetProperty("users[0].user.exec.command", out _));
    }

    [Fact]
    public async Task RegisterThenNodes_PagesOnTheServer_AndRemoveForgetsIt()
    {
        var admin = _factory.AsUser("admin", StudioRoles.Administrator);

        var created = await admin.PostAsJsonAsync("/api/clusters", new { name = "lab", kubeconfig = await KubeconfigAsync("lab") }, Ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        var page = await admin.GetFromJsonAsync<JsonElement>("/api/clusters/lab/nodes?take=2&sortBy=name", Ct);
        Assert.Equal(7, page.GetProperty("total").GetInt32());
        Assert.Equal(2, page.GetProperty("items").GetArrayLength());
        var namespaces = await admin.GetFromJsonAsync<string[]>("/api/clusters/lab/namespaces", Ct);
        Assert.Contains("kube-system", namespaces!);

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync("/api/clusters/lab", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/api/clusters/lab", Ct)).StatusCode);
    }
}
