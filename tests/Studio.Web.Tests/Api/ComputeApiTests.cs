using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Studio.Web.Security;
using Studio.Web.Tests.Shared;

namespace Studio.Web.Tests.Api;

/// <summary>The extension and compute API against the studio with its embedded sandbox (local-sandbox attached to 'default' at startup).</summary>
public sealed class ComputeApiTests : IAsyncLifetime
{
    private readonly StudioWebFactory _factory = new() { SandboxEnabled = true };

    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync() => await _factory.DisposeAsync();

    [Fact]
    public async Task EmbeddedDefault_SandboxHasAHealthyExtension_AndLocalSandboxIsAttachedToDefault()
    {
        var admin = _factory.AsUser("admin", StudioRoles.Administrator);

        var extension = await admin.GetFromJsonAsync<JsonElement>("/api/clusters/sandbox/extension", Ct);
        var computes = await admin.GetFromJsonAsync<JsonElement[]>("/api/workspaces/default/computes", Ct);

        Assert.True(extension.GetProperty("healthy").GetBoolean(), extension.ToString());
        var local = Assert.Single(computes!);
        Assert.Equal(("local-sandbox", "sandbox", "Succeeded"), (local.GetProperty("name").GetString(), local.GetProperty("cluster").GetString(), local.GetProperty("state").GetString()));
    }

    [Fact]
    public async Task Plan_ReturnsEveryObjectWithYaml_AndDataScientistsMayNotPlanOrAttach()
    {
        var admin = _factory.AsUser("admin", StudioRoles.Administrator);
        var scientist = _factory.AsUser("dana", StudioRoles.DataScientist);

        var plan = await (await admin.PostAsJsonAsync("/api/clusters/sandbox/extension/plan", new { enableInference = true }, Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct);
        var planAsScientist = await scientist.PostAsJsonAsync("/api/clusters/sandbox/extension/plan", new { }, Ct);
        var attachAsScientist = await scientist.PostAsJsonAsync("/api/workspaces/default/computes", new { name = "mine", cluster = "sandbox", @namespace = "mine", createNamespace = true }, Ct);

        var changes = plan.GetProperty("changes").EnumerateArray().ToList();
        Assert.Contains(changes, c => c.GetProperty("kind").GetString() == "Service" && c.GetProperty("action").GetString() == "Create");
        Assert.All(changes, c => Assert.False(string.IsNullOrEmpty(c.GetProperty("yaml").GetString())));
        Assert.Equal(HttpStatusCode.Forbidden, planAsScientist.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, attachAsScientist.StatusCode);
    }

    [Fact]
    public async Task Attach_WithoutConfirmingTheNewNamespace_Is409OnTheNamespaceField_ThenConfirmedIs201_AndDetachIs200()
    {
        var admin = _factory.AsUser("admin", StudioRoles.Administrator);

        var refused = await admin.PostAsJsonAsync("/api/workspaces/default/computes", new { name = "team-a", cluster = "sandbox", @namespace = "team-a" }, Ct);
        var created = await admin.PostAsJsonAsync("/api/workspaces/default/computes", new { name = "team-a", cluster = "sandbox", @namespace = "team-a", createNamespace = true, quotaCpu = "2" }, Ct);
        var detached = await admin.DeleteAsync("/api/workspaces/default/computes/team-a?deleteNamespace=true", Ct);

        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("namespace_missing", problem.GetProperty("code").GetString());
        Assert.True(problem.GetProperty("errors").TryGetProperty("namespace", out _));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(HttpStatusCode.OK, detached.StatusCode);
        Assert.Contains("Deleted namespace 'team-a'", (await detached.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PodSecurity_IsRestrictedOnTheEmbeddedTarget_AnAdministratorSetsBaseline_AScientistIs403_AndJunkIs400()
    {
        var admin = _factory.AsUser("admin", StudioRoles.Administrator);
        var scientist = _factory.AsUser("dana", StudioRoles.DataScientist);

        var before = await admin.GetFromJsonAsync<JsonElement>("/api/workspaces/default/computes/local-sandbox", Ct);
        var asScientist = await scientist.PutAsJsonAsync("/api/workspaces/default/computes/local-sandbox/pod-security", new { podSecurity = "baseline" }, Ct);
        var junk = await admin.PutAsJsonAsync("/api/workspaces/default/computes/local-sandbox/pod-security", new { podSecurity = "privileged" }, Ct);
        var empty = await admin.PutAsJsonAsync("/api/workspaces/default/computes/local-sandbox/pod-security", new { }, Ct);
        var changed = await admin.PutAsJsonAsync("/api/workspaces/default/computes/local-sandbox/pod-security", new { podSecurity = "baseline" }, Ct);

        Assert.Equal("Restricted", before.GetProperty("podSecurity").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, asScientist.StatusCode);
        Assert.Equal((HttpStatusCode.BadRequest, HttpStatusCode.BadRequest), (junk.StatusCode, empty.StatusCode));
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.Equal("Baseline", (await changed.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("podSecurity").GetString());
        var job = await scientist.PostAsJsonAsync("/api/workspaces/default/jobs/preview", new { compute = "local-sandbox", image = "busybox:1.36", command = "id" }, Ct);
        var manifests = await job.Content.ReadAsStringAsync(Ct);
        Assert.DoesNotContain("runAsNonRoot", manifests, StringComparison.Ordinal);
        Assert.Contains("automountServiceAccountToken: false", manifests, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("kube-system", "Kubernetes itself")]
    [InlineData("kube-public", "Kubernetes itself")]
    [InlineData("kube-node-lease", "Kubernetes itself")]
    [InlineData("studio-system", "the Studio extension")]
    public async Task Attach_ToAReservedNamespace_Is422OnTheNamespaceField_EvenConfirmed(string reserved, string owner)
    {
        var admin = _factory.AsUser("admin", StudioRoles.Administrator);

        var refused = await admin.PostAsJsonAsync("/api/workspaces/default/computes", new { name = "sneaky", cluster = "sandbox", @namespace = reserved, createNamespace = true, confirmSharedNamespace = true }, Ct);
        var preflight = await admin.PostAsJsonAsync("/api/workspaces/default/computes/preflight", new { name = "sneaky", cluster = "sandbox", @namespace = reserved }, Ct);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Contains(owner, problem.GetProperty("errors").GetProperty("namespace")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, preflight.StatusCode);
        Assert.DoesNotContain((await admin.GetFromJsonAsync<JsonElement[]>("/api/workspaces/default/computes", Ct))!, c => c.GetProperty("name").GetString() == "sneaky");
    }
}
