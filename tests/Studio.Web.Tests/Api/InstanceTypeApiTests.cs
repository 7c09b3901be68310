using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Studio.Web.Security;
using Studio.Web.Tests.Shared;

namespace Studio.Web.Tests.Api;

/// <summary>The instance type API against the studio with its embedded sandbox (extension installed at startup).</summary>
public sealed class InstanceTypeApiTests : IAsyncLifetime
{
    private readonly StudioWebFactory _factory = new() { SandboxEnabled = true };

    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync() => await _factory.DisposeAsync();

    private static object GpuA100 => new
    {
        name = "gpu-1x-a100",
        nodeSelector = new Dictionary<string, string> { ["agentpool"] = "gpua100" },
        requests = new { cpu = "4", memory = "16Gi" },
        limits = new Dictionary<string, object> { ["cpu"] = 8, ["memory"] = "32Gi", ["nvidia.com/gpu"] = 1 },
    };

    [Fact]
    public async Task Create_AsAdmin_Is201_ThenEveryoneListsItWithAvailability()
    {
        var admin = _factory.AsUser("admin", StudioRoles.Administrator);
        var scientist = _factory.AsUser("dana", StudioRoles.DataScientist);

        var created = await admin.PostAsJsonAsync("/api/clusters/sandbox/instancetypes", GpuA100, Ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        JsonElement a100 = default;
        for (var i = 0; i < 50 && a100.ValueKind == JsonValueKind.Undefined; i++)
        {
            var list = await scientist.GetFromJsonAsync<JsonElement[]>("/api/clusters/sandbox/instancetypes", Ct);
            a100 = list!.FirstOrDefault(e => e.GetProperty("name").GetString() == "gpu-1x-a100");
            Assert.Contains(list!, e => e.GetProperty("name").GetString() == "defaultinstancetype");
            await Task.Delay(100, Ct);
        }

        Assert.Equal("8", a100.GetProperty("limits").GetProperty("cpu").GetString());
        Assert.Equal("32 GiB", a100.GetProperty("limits").GetProperty("memoryHuman").GetString());
        var availability = a100.GetProperty("availability");
        Assert.Equal(("AvailableNow", 1, 1), (availability.GetProperty("badge").GetString(), availability.GetProperty("matchingNodes").GetInt32(), availability.GetProperty("replicasFitEmpty").GetInt32()));
        var one = await scientist.GetFromJsonAsync<JsonElement>("/api/clusters/sandbox/instancetypes/gpu-1x-a100", Ct);
        Assert.Equal("gpu-1x-a100", one.GetProperty("name").GetString());
    }

    [Fact]
    public async Task Create_Invalid_IsAProblemWithFieldErrors_AndDataScientistsMayNotWrite()
    {
        var admin = _factory.AsUser("admin", StudioRoles.Administrator);
        var scientist = _factory.AsUser("dana", StudioRoles.DataScientist);

        var invalid = await admin.PostAsJsonAsync("/api/clusters/sandbox/instancetypes", new { name = "Bad_Name", requests = new { cpu = "0", memory = "1Gi" }, limits = new { cpu = "1" } }, Ct);
        var forbidden = await scientist.PostAsJsonAsync("/api/clusters/sandbox/instancetypes", GpuA100, Ct);
        var deleteForbidden = await scientist.DeleteAsync("/api/clusters/sandbox/instancetypes/defaultinstancetype", Ct);

        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Equal("application/problem+json", invalid.Content.Headers.ContentType?.MediaType);
        var errors = (await invalid.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("errors");
        Assert.Equal(
            ["metadata.name", "spec.resources.limits.memory", "spec.resources.requests.cpu"],
            errors.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, deleteForbidden.StatusCode);
    }

    [Theory]
    [InlineData("9223372036854775808")]
    [InlineData("99999999999999999999999999999999999")]
    [InlineData("9Ei")]
    public async Task Create_Validate_AndImport_WithAQuantityBeyond64Bits_Are400NamingTheField(string cpu)
    {
        var admin = _factory.AsUser("admin", StudioRoles.Administrator);
        var body = new { name = "overflow", requests = new { cpu, memory = "1Gi" }, limits = new { cpu, memory = "1Gi" } };
        var yaml = $$"""
            apiVersion: amlarc.azureml.com/v1alpha1
            kind: InstanceType
            metadata: { name: overflow }
            spec:
              resources:
                requests: { cpu: "{{cpu}}", memory: 1Gi }
                limits: { cpu: "{{cpu}}", memory: 1Gi }
            """;

        using var created = await admin.PostAsJsonAsync("/api/clusters/sandbox/instancetypes", body, Ct);
        using var validated = await admin.PostAsJsonAsync("/api/clusters/sandbox/instancetypes/validate", body, Ct);
        using var imported = await admin.PostAsync("/api/clusters/sandbox/instancetypes/import", new StringContent(yaml, Encoding.UTF8, "application/yaml"), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, created.StatusCode);
        Assert.Contains("out of range", (await created.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("errors").GetProperty("spec.resources.requests.cpu")[0].GetString(), StringComparison.Ordinal);
        Assert.True(validated.StatusCode is HttpStatusCode.OK or HttpStatusCode.BadRequest, $"validate answered {(int)validated.StatusCode}");
        Assert.Contains("out of range", await validated.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, imported.StatusCode);
        Assert.Contains("out of range", await imported.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_TooBig_WarnsNamingTheLargestNode_AndImportExportRoundTrip()
    {
        var admin = _factory.AsUser("admin", StudioRoles.Administrator);

        var check = await (await admin.PostAsJsonAsync("/api/clusters/sandbox/instancetypes/validate", new { name = "huge", nodeSelector = new Dictionary<string, string> { ["agentpool"] = "cpu" }, requests = new { cpu = "12", memory = "8Gi" }, limits = new { cpu = "12", memory = "8Gi" } }, Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct);
        // Nodes can be added: too big for today's nodes is a warning, not a refusal.
        Assert.True(check.GetProperty("valid").GetBoolean());
        Assert.Contains("largest matching node has 8 CPU / 32 GiB", check.GetProperty("warnings").GetProperty("spec.resources.requests.cpu")[0].GetString(), StringComparison.OrdinalIgnoreCase);

        const string Yaml = """
            apiVersion: amlarc.azureml.com/v1alpha1
            kind: InstanceTypeList
            items:
              - metadata: { name: cpusmall }
                spec:
                  resources:
                    requests: { cpu: 100m, memory: 1500Mi }
                    limits: { cpu: "1", memory: 2Gi }
              - metadata: { name: broken }
                spec:
                  resources:
                    requests: { cpu: 2, memory: 1Gi, nvidia.com/gpu: 1 }
                    limits: { cpu: 1, memory: 1Gi }
            """;
        var refused = await admin.PostAsync("/api/clusters/sandbox/instancetypes/import", new StringContent(Yaml, Encoding.UTF8, "application/yaml"), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(
            ["items[1].spec.resources.requests.cpu", "items[1].spec.resources.requests.nvidia.com/gpu"],
            problem.GetProperty("errors").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));

        var imported = await admin.PostAsJsonAsync("/api/clusters/sandbox/instancetypes/import", new { yaml = Yaml[..Yaml.IndexOf("  - metadata: { name: broken }", StringComparison.Ordinal)] }, Ct);
        Assert.Equal(HttpStatusCode.OK, imported.StatusCode);
        string exported = "";
        for (var i = 0; i < 50 && !exported.Contains("cpusmall", StringComparison.Ordinal); i++)
        {
            var response = await admin.GetAsync("/api/clusters/sandbox/instancetypes/export", Ct);
            exported = response.IsSuccessStatusCode ? await response.Content.ReadAsStringAsync(Ct) : exported;
            await Task.Delay(100, Ct);
        }

        Assert.Contains("memory: 1500Mi", exported, StringComparison.Ordinal);
        Assert.Contains("kind: InstanceType", exported, StringComparison.Ordinal);
    }
}
