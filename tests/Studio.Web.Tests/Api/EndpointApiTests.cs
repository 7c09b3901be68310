using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using k8s;
using k8s.Autorest;
using Microsoft.Extensions.DependencyInjection;
using Studio.Infrastructure.Kubernetes;
using Studio.Infrastructure.Persistence.Repositories;
using Studio.Web.Security;
using Studio.Web.Tests.Shared;

namespace Studio.Web.Tests.Api;

/// <summary>
/// Online endpoints through the API on the sandbox: created from YAML and kept, deployments checked against the compute
/// target and applied (server-side, field manager studio) into its namespace, traffic and keys rules, deletes that
/// remove the cluster's objects, and who sees what.
/// </summary>
public sealed class EndpointApiTests : IAsyncLifetime
{
    private const string EndpointYaml = "$schema: https://azuremlschemas.azureedge.net/latest/kubernetesOnlineEndpoint.schema.json\nname: my-endpoint\ncompute: azureml:local-sandbox\nauth_mode: key\ndescription: scores\n";

    private readonly StudioWebFactory _factory = new() { SandboxEnabled = true, SandboxSpeed = 20 };

    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        var admin = _factory.AsUser("admin", StudioRoles.Administrator);
        (await admin.PutAsJsonAsync("/api/workspaces/default/members/dana", new { role = "DataScientist" }, Ct)).EnsureSuccessStatusCode();
        (await admin.PutAsJsonAsync("/api/workspaces/default/members/rob", new { role = "Reader" }, Ct)).EnsureSuccessStatusCode();
        (await admin.PostAsJsonAsync("/api/workspaces", new { name = "vision" }, Ct)).EnsureSuccessStatusCode();
        (await admin.PutAsJsonAsync("/api/workspaces/vision/members/bob", new { role = "DataScientist" }, Ct)).EnsureSuccessStatusCode();
    }

    public async ValueTask DisposeAsync() => await _factory.DisposeAsync();

    private static string DeploymentYaml(string name, string extra = "") =>
        $"$schema: https://azuremlschemas.azureedge.net/latest/kubernetesOnlineDeployment.schema.json\nname: {name}\nendpoint_name: my-endpoint\ntype: kubernetes\nenvironment: {{image: python:3.12}}\ninstance_count: 1\n{extra}";

    private static StringContent Yaml(string text) => new(text, Encoding.UTF8, "application/yaml");

    private async Task<(HttpStatusCode Status, JsonElement Body)> SendAsync(HttpClient client, HttpMethod method, string path, HttpContent? content = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        using var response = await client.SendAsync(request, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    private async Task<IKubernetes> SandboxAsync()
    {
        await using var work = _factory.Services.GetRequiredService<UnitOfWorkFactory>().Begin();
        var cluster = await work.Clusters.FindByNameAsync("sandbox", Ct);
        return (await _factory.Services.GetRequiredService<KubernetesClientFactory>().GetAsync(cluster!.Id, Ct)).Value;
    }

    private async Task<string> NamespaceAsync()
    {
        var (_, compute) = await SendAsync(_factory.AsUser("dana"), HttpMethod.Get, "/api/workspaces/default/computes/local-sandbox");
        return compute.GetProperty("namespace").GetString()!;
    }

    private async Task CreateEndpointAndBlueAsync()
    {
        var dana = _factory.AsUser("dana");
        Assert.Equal(HttpStatusCode.Created, (await SendAsync(dana, HttpMethod.Post, "/api/workspaces/default/endpoints/import", Yaml(EndpointYaml))).Status);
        var (status, body) = await SendAsync(dana, HttpMethod.Post, "/api/workspaces/default/endpoints/import-deployment", Yaml(DeploymentYaml("blue")));
        Assert.True(status == HttpStatusCode.Created, body.ToString());
    }

    [Fact]
    public async Task ImportedEndpointAndDeployment_ArePersisted_AndTheDeploymentIsAppliedByStudioIntoTheComputeNamespace()
    {
        var dana = _factory.AsUser("dana");

        await CreateEndpointAndBlueAsync();
        var again = await SendAsync(dana, HttpMethod.Put, "/api/workspaces/default/endpoints/my-endpoint/deployments/blue", Yaml(DeploymentYaml("blue")));

        Assert.Equal(HttpStatusCode.OK, again.Status);
        Assert.Equal(1, again.Body.GetProperty("deployment").GetProperty("generation").GetInt32());
        var (status, endpoint) = await SendAsync(_factory.AsUser("rob"), HttpMethod.Get, "/api/workspaces/default/endpoints/my-endpoint");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(("key", "scores", "/api/v1/endpoint/my-endpoint/"), (endpoint.GetProperty("authMode").GetString(), endpoint.GetProperty("description").GetString(), endpoint.GetProperty("scoringPath").GetString()));
        var blue = endpoint.GetProperty("deployments").EnumerateArray().Single();
        Assert.Equal(("blue", "my-endpoint-blue", "defaultinstancetype", 1), (blue.GetProperty("name").GetString(), blue.GetProperty("kubernetesName").GetString(), blue.GetProperty("instanceType").GetString(), blue.GetProperty("desiredReplicas").GetInt32()));
        Assert.False(endpoint.TryGetProperty("primaryKey", out _));
        var live = await (await SandboxAsync()).AppsV1.ReadNamespacedDeploymentAsync("my-endpoint-blue", await NamespaceAsync(), cancellationToken: Ct);
        Assert.Contains(live.Metadata.ManagedFields, m => m.Manager == ServerSideApplier.FieldManager && m.Operation == "Apply");
        Assert.Equal("python:3.12", live.Spec.Template.Spec.Containers.Single().Image);
        Assert.Single((await SendAsync(_factory.AsUser("rob"), HttpMethod.Get, "/api/workspaces/default/endpoints/")).Body.EnumerateArray());
    }

    [Fact]
    public async Task Traffic_NotSummingTo100_Is400_UnknownDeployment_Is422NamingThePath_AndMirrorOver50IsRefused()
    {
        await CreateEndpointAndBlueAsync();
        var dana = _factory.AsUser("dana");
        const string path = "/api/workspaces/default/endpoints/my-endpoint/traffic";

        var partial = await SendAsync(dana, HttpMethod.Put, path, JsonContent.Create(new { traffic = new { blue = 90 } }));
        var unknown = await SendAsync(dana, HttpMethod.Put, path, JsonContent.Create(new { traffic = new { blue = 100, ghost = 0 } }));
        var mirror = await SendAsync(dana, HttpMethod.Put, path, JsonContent.Create(new Dictionary<string, object> { ["traffic"] = new { blue = 100 }, ["mirror_traffic"] = new { blue = 60 } }));
        var set = await SendAsync(dana, HttpMethod.Put, path, JsonContent.Create(new { traffic = new { blue = 100 } }));

        Assert.Equal(HttpStatusCode.BadRequest, partial.Status);
        Assert.Contains("adds up to 90 %", partial.Body.GetProperty("errors").GetProperty("traffic")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, unknown.Status);
        Assert.Contains("no deployment 'ghost'", unknown.Body.GetProperty("errors").GetProperty("traffic.ghost")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, mirror.Status);
        Assert.True(mirror.Body.GetProperty("errors").TryGetProperty("mirror_traffic.blue", out _));
        Assert.Equal(HttpStatusCode.OK, set.Status);
        Assert.Equal(100, set.Body.GetProperty("traffic").GetProperty("blue").GetInt32());
    }

    [Fact]
    public async Task Keys_AreForDataScientists_RegeneratingOneKeepsTheOther_AndOtherWorkspacesSeeNoEndpoint()
    {
        await CreateEndpointAndBlueAsync();
        var dana = _factory.AsUser("dana");
        const string keys = "/api/workspaces/default/endpoints/my-endpoint/keys";

        var (status, before) = await SendAsync(dana, HttpMethod.Get, keys);
        var (_, after) = await SendAsync(dana, HttpMethod.Post, keys + "/primary/regenerate");
        var wrong = await SendAsync(dana, HttpMethod.Post, keys + "/tertiary/regenerate");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(43, before.GetProperty("primaryKey").GetString()!.Length);
        Assert.NotEqual(before.GetProperty("primaryKey").GetString(), after.GetProperty("primaryKey").GetString());
        Assert.Equal(before.GetProperty("secondaryKey").GetString(), after.GetProperty("secondaryKey").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, wrong.Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(_factory.AsUser("rob"), HttpMethod.Get, keys)).Status);
        var (_, asReader) = await SendAsync(_factory.AsUser("rob"), HttpMethod.Get, "/api/workspaces/default/endpoints/my-endpoint");
        Assert.DoesNotContain(after.GetProperty("primaryKey").GetString()!, asReader.ToString(), StringComparison.Ordinal);
        var bob = _factory.AsUser("bob");
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(bob, HttpMethod.Get, "/api/workspaces/default/endpoints/my-endpoint")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(bob, HttpMethod.Get, keys)).Status);
        Assert.Empty((await SendAsync(bob, HttpMethod.Get, "/api/workspaces/vision/endpoints/")).Body.EnumerateArray());
    }

    [Fact]
    public async Task Deployment_OverItsInstanceType_WithAnUnknownModel_OrOnAnUnknownCompute_IsRefusedByPath_AndNothingIsApplied()
    {
        var dana = _factory.AsUser("dana");
        Assert.Equal(HttpStatusCode.Created, (await SendAsync(dana, HttpMethod.Post, "/api/workspaces/default/endpoints/import", Yaml(EndpointYaml))).Status);

        var over = await SendAsync(dana, HttpMethod.Post, "/api/workspaces/default/endpoints/import-deployment", Yaml(DeploymentYaml("big", "resources: {requests: {cpu: '64', memory: 1Gi}, limits: {cpu: '64', memory: 1Gi}}\n")));
        var model = await SendAsync(dana, HttpMethod.Post, "/api/workspaces/default/endpoints/import-deployment", Yaml(DeploymentYaml("ghost", "model: azureml:no-such-model:1\n")));
        var compute = await SendAsync(dana, HttpMethod.Post, "/api/workspaces/default/endpoints/import", Yaml("name: other-endpoint\ncompute: azureml:nowhere\n"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, over.Status);
        Assert.True(over.Body.GetProperty("errors").TryGetProperty("resources.limits.cpu", out _), over.Body.ToString());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, model.Status);
        Assert.Contains("no model 'no-such-model'", model.Body.GetProperty("errors").GetProperty("model")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, compute.Status);
        Assert.Contains("no compute target named 'nowhere'", compute.Body.GetProperty("errors").GetProperty("compute")[0].GetString(), StringComparison.Ordinal);
        var (_, endpoint) = await SendAsync(dana, HttpMethod.Get, "/api/workspaces/default/endpoints/my-endpoint");
        Assert.Empty(endpoint.GetProperty("deployments").EnumerateArray());
        var deployments = await (await SandboxAsync()).AppsV1.ListNamespacedDeploymentAsync(await NamespaceAsync(), cancellationToken: Ct);
        Assert.DoesNotContain(deployments.Items, d => d.Metadata.Name.StartsWith("my-endpoint-", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(dana, HttpMethod.Get, "/api/workspaces/default/endpoints/other-endpoint")).Status);
    }

    [Fact]
    public async Task DeletingADeploymentWithLiveTraffic_Is409_ThenWithoutIt_RemovesItsObjects_AndDeletingTheEndpointRemovesTheRest()
    {
        await CreateEndpointAndBlueAsync();
        var dana = _factory.AsUser("dana");
        Assert.Equal(HttpStatusCode.Created, (await SendAsync(dana, HttpMethod.Post, "/api/workspaces/default/endpoints/my-endpoint/deployments", JsonContent.Create(new Dictionary<string, object> { ["name"] = "green", ["endpoint_name"] = "my-endpoint", ["type"] = "kubernetes", ["environment"] = new { image = "python:3.12" } }))).Status);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(dana, HttpMethod.Put, "/api/workspaces/default/endpoints/my-endpoint/traffic", JsonContent.Create(new { traffic = new { blue = 100 } }))).Status);
        var client = await SandboxAsync();
        var ns = await NamespaceAsync();

        var busy = await SendAsync(dana, HttpMethod.Delete, "/api/workspaces/default/endpoints/my-endpoint/deployments/blue");
        var green = await SendAsync(dana, HttpMethod.Delete, "/api/workspaces/default/endpoints/my-endpoint/deployments/green");

        Assert.Equal(HttpStatusCode.Conflict, busy.Status);
        Assert.Contains("takes 100 %", busy.Body.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NoContent, green.Status);
        await Assert.ThrowsAsync<HttpOperationException>(() => client.AppsV1.ReadNamespacedDeploymentAsync("my-endpoint-green", ns, cancellationToken: Ct));
        await Assert.ThrowsAsync<HttpOperationException>(() => client.CoreV1.ReadNamespacedServiceAsync("my-endpoint-green", ns, cancellationToken: Ct));
        Assert.NotNull(await client.AppsV1.ReadNamespacedDeploymentAsync("my-endpoint-blue", ns, cancellationToken: Ct));

        Assert.Equal(HttpStatusCode.NoContent, (await SendAsync(dana, HttpMethod.Delete, "/api/workspaces/default/endpoints/my-endpoint")).Status);

        await Assert.ThrowsAsync<HttpOperationException>(() => client.AppsV1.ReadNamespacedDeploymentAsync("my-endpoint-blue", ns, cancellationToken: Ct));
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(dana, HttpMethod.Get, "/api/workspaces/default/endpoints/my-endpoint")).Status);
    }

    [Fact]
    public async Task OpenApi_ListsTheEndpointRoutes()
    {
        var (_, document) = await SendAsync(_factory.AsUser("rob"), HttpMethod.Get, "/openapi/v1.json");

        var paths = document.GetProperty("paths");
        foreach (var path in new[] { "/api/workspaces/{workspace}/endpoints/{name}", "/api/workspaces/{workspace}/endpoints/{name}/deployments/{deployment}", "/api/workspaces/{workspace}/endpoints/{name}/traffic", "/api/workspaces/{workspace}/endpoints/{name}/keys", "/api/workspaces/{workspace}/endpoints/{name}/keys/{keyType}/regenerate" })
        {
            Assert.True(paths.TryGetProperty(path, out _), path);
        }

        Assert.True(paths.GetProperty("/api/workspaces/{workspace}/endpoints/{name}/traffic").TryGetProperty("put", out _));
    }
}
