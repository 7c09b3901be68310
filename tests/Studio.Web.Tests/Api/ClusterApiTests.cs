using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using k8s;
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

    private const string CpuNode = "aks-cpu-10023757-vmss000000";

    /// <summary>Polls a GET until <paramref name="done"/> holds (the inventory follows the cluster through its watch).</summary>
    private static async Task<JsonElement> PollAsync(HttpClient client, string path, Func<JsonElement, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var body = await client.GetFromJsonAsync<JsonElement>(path, Ct);
            if (done(body) || DateTime.UtcNow > deadline)
            {
                return body;
            }

            await Task.Delay(200, Ct);
        }
    }

    [Fact]
    public async Task GetNode_ReturnsConditionsAndThePodsBoundToIt()
    {
        var reader = _factory.AsUser("rob", StudioRoles.Reader);
        using var client = await Live.SandboxPods.ClientAsync(_factory.Services);
        await Live.SandboxPods.EnsureNamespaceAsync(client, "nodeapi", Ct);
        var pod = Live.SandboxPods.ShortPod("pinned", "nodeapi", seconds: 3600);
        pod.Spec.NodeSelector = new Dictionary<string, string> { ["kubernetes.io/hostname"] = CpuNode };
        await client.CoreV1.CreateNamespacedPodAsync(pod, "nodeapi", cancellationToken: Ct);

        var node = await PollAsync(reader, $"/api/clusters/sandbox/nodes/{CpuNode}", n => n.GetProperty("pods").EnumerateArray().Any(p => p.GetProperty("name").GetString() == "pinned"));

        Assert.Equal(CpuNode, node.GetProperty("node").GetProperty("name").GetString());
        Assert.Contains(node.GetProperty("node").GetProperty("conditions").EnumerateArray(), c => c.GetProperty("type").GetString() == "Ready" && c.GetProperty("status").GetString() == "True");
        var pinned = node.GetProperty("pods").EnumerateArray().Single(p => p.GetProperty("name").GetString() == "pinned");
        Assert.Equal("nodeapi", pinned.GetProperty("namespace").GetString());
        Assert.Equal(0, pinned.GetProperty("restarts").GetInt32());
    }

    [Theory]
    [InlineData("/api/clusters/sandbox/nodes/aks-nope-0", "Cluster 'sandbox' has no node 'aks-nope-0'.")]
    [InlineData("/api/clusters/nope/nodes/aks-nope-0", "Cluster 'nope' is not registered.")]
    [InlineData("/api/clusters/nope/pods", "Cluster 'nope' is not registered.")]
    public async Task UnknownClusterOrNode_Returns404ProblemSayingWhich(string path, string detail)
    {
        var response = await _factory.AsUser("rob", StudioRoles.Reader).GetAsync(path, Ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(detail, (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task ListPods_FiltersByNamespacePhaseAndName_AndPagesOnTheServer()
    {
        var reader = _factory.AsUser("rob", StudioRoles.Reader);
        using var client = await Live.SandboxPods.ClientAsync(_factory.Services);
        await Live.SandboxPods.EnsureNamespaceAsync(client, "podapi", Ct);
        foreach (var name in new[] { "web-2", "web-0", "batch-0", "web-1" })
        {
            await client.CoreV1.CreateNamespacedPodAsync(Live.SandboxPods.ShortPod(name, "podapi", seconds: 3600), "podapi", cancellationToken: Ct);
        }

        var all = await PollAsync(reader, "/api/clusters/sandbox/pods?namespace=podapi&phase=Running", p => p.GetProperty("total").GetInt32() == 4);
        Assert.Equal(4, all.GetProperty("total").GetInt32());

        var page = await reader.GetFromJsonAsync<JsonElement>("/api/clusters/sandbox/pods?namespace=podapi&search=WEB&sortBy=name&take=2&skip=1", Ct);
        Assert.Equal(3, page.GetProperty("total").GetInt32());
        Assert.Equal(["web-1", "web-2"], page.GetProperty("items").EnumerateArray().Select(p => p.GetProperty("name").GetString()).ToArray());
        var node = page.GetProperty("items")[0].GetProperty("nodeName").GetString()!;

        var onNode = await reader.GetFromJsonAsync<JsonElement>($"/api/clusters/sandbox/pods?node={node}&take=500", Ct);
        Assert.All(onNode.GetProperty("items").EnumerateArray(), p => Assert.Equal(node, p.GetProperty("nodeName").GetString()));
        var none = await reader.GetFromJsonAsync<JsonElement>("/api/clusters/sandbox/pods?namespace=podapi&phase=Failed", Ct);
        Assert.Equal(0, none.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task PodsAndNodePage_OfASharedCluster_NeverNameAnotherWorkspacesPods()
    {
        var admin = _factory.AsUser("admin", StudioRoles.Administrator);
        foreach (var (workspace, user, ns) in new[] { ("beta", "bob", "team-beta"), ("gamma", "gus", "team-gamma") })
        {
            (await admin.PostAsJsonAsync("/api/workspaces", new { name = workspace }, Ct)).EnsureSuccessStatusCode();
            (await admin.PutAsJsonAsync($"/api/workspaces/{workspace}/members/{user}", new { role = "DataScientist" }, Ct)).EnsureSuccessStatusCode();
            var attached = await admin.PostAsJsonAsync($"/api/workspaces/{workspace}/computes", new { name = $"{workspace}-cpu", cluster = "sandbox", @namespace = ns, createNamespace = true }, Ct);
            Assert.True(attached.IsSuccessStatusCode, await attached.Content.ReadAsStringAsync(Ct));
        }

        using var client = await Live.SandboxPods.ClientAsync(_factory.Services);
        var pod = Live.SandboxPods.ShortPod("beta-secret-experiment", "team-beta", seconds: 3600);
        pod.Spec.NodeSelector = new Dictionary<string, string> { ["kubernetes.io/hostname"] = CpuNode };
        await client.CoreV1.CreateNamespacedPodAsync(pod, "team-beta", cancellationToken: Ct);
        var bob = _factory.AsUser("bob");
        var gus = _factory.AsUser("gus");
        await PollAsync(bob, "/api/clusters/sandbox/pods?namespace=team-beta", p => p.GetProperty("total").GetInt32() == 1);

        var asGus = await gus.GetFromJsonAsync<JsonElement>("/api/clusters/sandbox/pods?take=500", Ct);
        var filtered = await gus.GetFromJsonAsync<JsonElement>("/api/clusters/sandbox/pods?namespace=team-beta", Ct);
        var nodeAsGus = await gus.GetStringAsync($"/api/clusters/sandbox/nodes/{CpuNode}", Ct);
        var nodeAsBob = await bob.GetStringAsync($"/api/clusters/sandbox/nodes/{CpuNode}", Ct);
        var asAdmin = await admin.GetFromJsonAsync<JsonElement>("/api/clusters/sandbox/pods?namespace=team-beta", Ct);

        Assert.DoesNotContain(asGus.GetProperty("items").EnumerateArray(), p => p.GetProperty("namespace").GetString() == "team-beta");
        Assert.Equal(0, filtered.GetProperty("total").GetInt32());
        Assert.DoesNotContain("beta-secret-experiment", nodeAsGus, StringComparison.Ordinal);
        Assert.True(JsonDocument.Parse(nodeAsGus).RootElement.GetProperty("otherWorkspacesPods").GetInt32() >= 1);
        Assert.Contains("beta-secret-experiment", nodeAsBob, StringComparison.Ordinal);
        Assert.Equal(1, asAdmin.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task ListPods_WithBadPagingSortOrPhase_Returns400NamingEachField()
    {
        var response = await _factory.AsUser("rob", StudioRoles.Reader).GetAsync("/api/clusters/sandbox/pods?take=501&skip=-1&sortBy=colour&phase=Sleeping", Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("errors");
        Assert.Equal(["phase", "skip", "sortBy", "take"], errors.EnumerateObject().Select(e => e.Name).Order(StringComparer.Ordinal).ToArray());
    }
}
