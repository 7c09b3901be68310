using System.Net;
using System.Text;
using System.Text.Json;
using Studio.Web.Security;
using Studio.Web.Tests.Shared;

namespace Studio.Web.Tests.Api;

/// <summary>The endpoint and deployment YAML import routes checking a file (dryRun): the Azure ML samples read into specs with defaults, bad files answered by path, other kinds 422.</summary>
public sealed class EndpointImportApiTests : IAsyncLifetime
{
    private static readonly string Samples = Path.Combine(AppContext.BaseDirectory, "Samples", "azureml-examples");

    private readonly StudioWebFactory _factory = new();

    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync() => await _factory.DisposeAsync();

    private async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(string route, string yaml)
    {
        var response = await _factory.AsUser("rita", StudioRoles.Reader).PostAsync($"/api/workspaces/default/endpoints/{route}?dryRun=true", new StringContent(yaml, Encoding.UTF8, "application/yaml"), Ct);
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement);
    }

    [Fact]
    public async Task EndpointSample_IsReadIntoItsSpec()
    {
        var (status, body) = await PostAsync("import", await File.ReadAllTextAsync(Path.Combine(Samples, "endpoints__online__kubernetes__kubernetes-endpoint.yml"), Ct));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("my-endpoint", body.GetProperty("spec").GetProperty("name").GetString());
        Assert.Equal("inferencecompute", body.GetProperty("spec").GetProperty("compute").GetString());
    }

    [Fact]
    public async Task GreenSample_IsReadWithItsScaleSettingsAndAzureMlDefaults()
    {
        var (status, body) = await PostAsync("import-deployment", await File.ReadAllTextAsync(Path.Combine(Samples, "endpoints__online__kubernetes__kubernetes-green-deployment.yml"), Ct));

        Assert.Equal(HttpStatusCode.OK, status);
        var spec = body.GetProperty("spec");
        Assert.Equal(3, spec.GetProperty("scaleSettings").GetProperty("maxInstances").GetInt32());
        Assert.Equal(5000, spec.GetProperty("requestSettings").GetProperty("requestTimeoutMs").GetInt32());
        Assert.Equal(30, spec.GetProperty("readinessProbe").GetProperty("failureThreshold").GetInt32());
    }

    [Fact]
    public async Task ProbeTimeoutLongerThanItsPeriod_Is400NamingTheField()
    {
        var (status, body) = await PostAsync("import-deployment", "name: blue\nendpoint_name: my-endpoint\ntype: kubernetes\nenvironment: {image: python:3.12}\nliveness_probe: {period: 5, timeout: 6}\n");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("longer than its period", body.GetProperty("errors").GetProperty("liveness_probe.timeout")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task JobFile_PostedAsADeployment_Is422SayingWhereItGoes()
    {
        var (status, body) = await PostAsync("import-deployment", await File.ReadAllTextAsync(Path.Combine(Samples, "jobs__basics__hello-world.yml"), Ct));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.StartsWith("This is a command job, not a Kubernetes online deployment: submit it on the Jobs page", body.GetProperty("errors").GetProperty("$schema")[0].GetString(), StringComparison.Ordinal);
    }
}
