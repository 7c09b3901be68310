using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Studio.Web.Security;
using Studio.Web.Tests.Shared;

namespace Studio.Web.Tests.Api;

/// <summary>Hostile or careless job input through the API: refused with problem details that name the field, never stored, never a 5xx.</summary>
public sealed class JobInputApiTests : IAsyncLifetime
{
    private readonly StudioWebFactory _factory = new() { SandboxEnabled = true, SandboxSpeed = 20 };

    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync() => await _factory.DisposeAsync();

    private static async Task<JsonElement> ErrorsAsync(HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        return problem.GetProperty("errors");
    }

    private static ByteArrayContent Raw(byte[] body, string mediaType)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(mediaType);
        return content;
    }

    [Theory]
    [InlineData("text/yaml")]
    [InlineData("application/x-yaml")]
    [InlineData("text/x-yaml")]
    [InlineData("application/yaml; charset=utf-8")]
    public async Task SubmitAndImport_TakeEveryYamlMediaType(string mediaType)
    {
        var scientist = _factory.AsUser("dana", StudioRoles.DataScientist);
        const string yaml = "command: echo hi\nenvironment:\n  image: busybox:1.36\ncompute: azureml:local-sandbox\n";

        var submitted = await scientist.PostAsync("/api/workspaces/default/jobs", Raw(Encoding.UTF8.GetBytes(yaml), mediaType), Ct);
        var imported = await scientist.PostAsync("/api/workspaces/default/jobs/import", Raw(Encoding.UTF8.GetBytes(yaml), mediaType), Ct);
        var preflight = await scientist.PostAsync("/api/workspaces/default/jobs/preflight", Raw(Encoding.UTF8.GetBytes(yaml), mediaType), Ct);

        Assert.Equal(HttpStatusCode.Created, submitted.StatusCode);
        Assert.Equal(HttpStatusCode.OK, imported.StatusCode);
        Assert.Equal(HttpStatusCode.OK, preflight.StatusCode);
    }

    [Fact]
    public async Task InvalidUtf8_InYamlOrJson_Is400_NotSilentlyReplaced()
    {
        var scientist = _factory.AsUser("dana", StudioRoles.DataScientist);
        static byte[] Bad(string before, string after) => [.. Encoding.UTF8.GetBytes(before), 0xC3, 0x28, 0xFF, .. Encoding.UTF8.GetBytes(after)];

        var yaml = await scientist.PostAsync("/api/workspaces/default/jobs", Raw(Bad("command: echo ", "\nenvironment:\n  image: busybox:1.36\ncompute: azureml:local-sandbox\n"), "application/yaml"), Ct);
        var import = await scientist.PostAsync("/api/workspaces/default/jobs/import", Raw(Bad("command: echo ", "\n"), "application/yaml"), Ct);
        var json = await scientist.PostAsync("/api/workspaces/default/jobs", Raw(Bad("{\"compute\": \"local-sandbox\", \"image\": \"busybox:1.36\", \"command\": \"echo ", "\"}"), "application/json"), Ct);

        foreach (var response in new[] { yaml, import, json })
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var text = await response.Content.ReadAsStringAsync(Ct);
            Assert.True(text.Contains("UTF-8", StringComparison.OrdinalIgnoreCase), text);
        }

        var list = await scientist.GetFromJsonAsync<JsonElement>("/api/workspaces/default/jobs", Ct);
        Assert.Equal(0, list.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task UnknownDistribution_UnknownFields_AndDuplicateKeys_Are400_NamingTheField()
    {
        var scientist = _factory.AsUser("dana", StudioRoles.DataScientist);
        const string job = "\"compute\": \"local-sandbox\", \"image\": \"busybox:1.36\", \"command\": \"echo hi\"";

        var unknownType = await scientist.PostAsync("/api/workspaces/default/jobs", new StringContent($"{{{job}, \"distribution\": {{\"type\": \"Nope\"}}}}", Encoding.UTF8, "application/json"), Ct);
        var unknownKey = await scientist.PostAsync("/api/workspaces/default/jobs", new StringContent($"{{{job}, \"distribution\": {{\"kind\": \"Nope\"}}}}", Encoding.UTF8, "application/json"), Ct);
        var duplicate = await scientist.PostAsync("/api/workspaces/default/jobs", new StringContent($"{{{job}, \"environmentVariables\": {{\"A\": \"1\", \"A\": \"2\"}}}}", Encoding.UTF8, "application/json"), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, unknownType.StatusCode);
        Assert.True((await ErrorsAsync(unknownType)).TryGetProperty("distribution.type", out _));
        Assert.Equal(HttpStatusCode.BadRequest, unknownKey.StatusCode);
        Assert.Contains("distribution.kind", (await ErrorsAsync(unknownKey)).ToString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, duplicate.StatusCode);
        Assert.Contains("environmentVariables", (await ErrorsAsync(duplicate)).ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownEnumValue_InAJsonBody_Is400_NamingTheField()
    {
        var admin = _factory.AsUser("admin", StudioRoles.Administrator);

        var response = await admin.PutAsync("/api/workspaces/default/members/someone", new StringContent("{\"role\": 99}", Encoding.UTF8, "application/json"), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("role", (await ErrorsAsync(response)).ToString(), StringComparison.OrdinalIgnoreCase);
        var members = await admin.GetStringAsync("/api/workspaces/default/members", Ct);
        Assert.DoesNotContain("someone", members, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReservedEnvironmentVariables_AndBadAnnotations_Are400_NamingThePath_InJsonAndYaml()
    {
        var scientist = _factory.AsUser("dana", StudioRoles.DataScientist);
        var body = new
        {
            compute = "local-sandbox",
            image = "busybox:1.36",
            command = "echo hi",
            environmentVariables = new Dictionary<string, string> { ["WORLD_SIZE"] = "8", ["AZUREML_RUN_ID"] = "x" },
            podAnnotations = new Dictionary<string, string> { ["my key"] = "v", ["container.apparmor.security.beta.kubernetes.io/main"] = "unconfined", ["studio.io/workspace"] = "other" },
        };

        var json = await scientist.PostAsJsonAsync("/api/workspaces/default/jobs", body, Ct);
        var yaml = await scientist.PostAsync("/api/workspaces/default/jobs", new StringContent("command: echo hi\nenvironment:\n  image: busybox:1.36\ncompute: azureml:local-sandbox\nenvironment_variables:\n  MASTER_ADDR: evil\n  STUDIO_WORKSPACE: other\n", Encoding.UTF8, "application/yaml"), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, json.StatusCode);
        var errors = await ErrorsAsync(json);
        foreach (var path in new[] { "environment_variables.WORLD_SIZE", "environment_variables.AZUREML_RUN_ID", "pod_annotations.my key", "pod_annotations.container.apparmor.security.beta.kubernetes.io/main", "pod_annotations.studio.io/workspace" })
        {
            Assert.True(errors.TryGetProperty(path, out _), $"{path} not in {errors}");
        }

        Assert.Equal(HttpStatusCode.BadRequest, yaml.StatusCode);
        var yamlErrors = await ErrorsAsync(yaml);
        Assert.True(yamlErrors.TryGetProperty("environment_variables.MASTER_ADDR", out _), yamlErrors.ToString());
        Assert.True(yamlErrors.TryGetProperty("environment_variables.STUDIO_WORKSPACE", out _), yamlErrors.ToString());
    }

    [Fact]
    public async Task OversizedFields_Are400_BeforeAnythingIsStored()
    {
        var scientist = _factory.AsUser("dana", StudioRoles.DataScientist);
        var body = new
        {
            compute = "local-sandbox",
            image = "busybox:1.36",
            command = "echo " + new string('x', 70 * 1024),
            displayName = new string('d', 300),
            description = new string('d', 6000),
            experimentName = "../../etc",
            tags = new Dictionary<string, string> { ["k"] = new string('v', 300) },
        };

        var response = await scientist.PostAsJsonAsync("/api/workspaces/default/jobs", body, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = await ErrorsAsync(response);
        foreach (var path in new[] { "command", "display_name", "description", "experiment_name", "tags.k" })
        {
            Assert.True(errors.TryGetProperty(path, out _), $"{path} not in {errors}");
        }

        var list = await scientist.GetFromJsonAsync<JsonElement>("/api/workspaces/default/jobs", Ct);
        Assert.Equal(0, list.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task ABodyOverTheServersLimit_Is413_WithProblemDetails()
    {
        var scientist = _factory.AsUser("dana", StudioRoles.DataScientist);
        var huge = "{\"compute\": \"local-sandbox\", \"image\": \"busybox:1.36\", \"command\": \"" + new string('x', 5 * 1024 * 1024) + "\"}";

        var response = await scientist.PostAsync("/api/workspaces/default/jobs", new StringContent(huge, Encoding.UTF8, "application/json"), Ct);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("limit", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AJobLargerThanItsComputeTargetsQuota_Is422_NeverFits_AndPreflightSaysSo()
    {
        var admin = _factory.AsUser("admin", StudioRoles.Administrator);
        var scientist = _factory.AsUser("dana", StudioRoles.DataScientist);
        var attached = await admin.PostAsJsonAsync("/api/workspaces/default/computes", new { name = "tiny", cluster = "sandbox", @namespace = "tiny-quota", createNamespace = true, quotaMemory = "1Gi" }, Ct);
        Assert.Equal(HttpStatusCode.Created, attached.StatusCode);
        var job = new { compute = "tiny", image = "busybox:1.36", command = "echo hi", instanceCount = 1 };

        var submitted = await scientist.PostAsJsonAsync("/api/workspaces/default/jobs", job, Ct);
        var preflight = await (await scientist.PostAsJsonAsync("/api/workspaces/default/jobs/preflight", job, Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, submitted.StatusCode);
        var errors = await ErrorsAsync(submitted);
        Assert.Contains("Never fits this quota", errors.GetProperty("resources.instance_type")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal("NeverFits", preflight.GetProperty("verdict").GetString());
        Assert.Contains("Never fits this quota", preflight.GetProperty("summary").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WorkspaceDescriptionOverTheLimit_Is400_OnCreateAndUpdate()
    {
        var admin = _factory.AsUser("admin", StudioRoles.Administrator);
        var description = new string('d', 2000);

        var created = await admin.PostAsJsonAsync("/api/workspaces", new { name = "long-text", description }, Ct);
        var updated = await admin.PatchAsJsonAsync("/api/workspaces/default", new { description }, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, created.StatusCode);
        Assert.True((await ErrorsAsync(created)).TryGetProperty("description", out _));
        Assert.Equal(HttpStatusCode.BadRequest, updated.StatusCode);
        var workspaces = await admin.GetStringAsync("/api/workspaces", Ct);
        Assert.DoesNotContain(description, workspaces, StringComparison.Ordinal);
    }
}
