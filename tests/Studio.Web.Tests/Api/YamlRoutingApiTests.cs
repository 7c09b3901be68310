using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Studio.Web.Security;
using Studio.Web.Tests.Shared;

namespace Studio.Web.Tests.Api;

/// <summary>Files of another kind posted to the jobs API: a 422 that says what the file is and where it goes, nothing submitted.</summary>
public sealed class YamlRoutingApiTests : IAsyncLifetime
{
    private static readonly string Samples = Path.Combine(AppContext.BaseDirectory, "Samples", "azureml-examples");

    private readonly StudioWebFactory _factory = new();

    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync() => await _factory.DisposeAsync();

    [Theory]
    [InlineData("endpoints__online__kubernetes__kubernetes-blue-deployment.yml", "This is a Kubernetes online deployment, not a command job: import it on the Endpoints page / POST /api/workspaces/{workspace}/endpoints/{endpoint}/deployments.")]
    [InlineData("endpoints__online__kubernetes__kubernetes-endpoint.yml", "This is a Kubernetes online endpoint, not a command job: import it on the Endpoints page")]
    [InlineData("endpoints__batch__deploy-models__heart-classifier-mlflow__deployment-simple__deployment.yml", "This is a batch deployment, not a command job: ")]
    [InlineData("endpoints__batch__deploy-models__heart-classifier-mlflow__heart-dataset-unlabeled.yml", "This is a data asset, not a command job: register it on the Data page")]
    public async Task EndpointOrDataFile_PostedToTheJobsApi_Is422SayingWhatItIsAndWhereItGoes_AndSubmitsNothing(string file, string message)
    {
        var scientist = _factory.AsUser("dana", StudioRoles.DataScientist);
        var yaml = await File.ReadAllTextAsync(Path.Combine(Samples, file), Ct);

        foreach (var route in (string[])["/api/workspaces/default/jobs", "/api/workspaces/default/jobs/import"])
        {
            var response = await scientist.PostAsync(route, new StringContent(yaml, Encoding.UTF8, "application/yaml"), Ct);

            var body = await response.Content.ReadAsStringAsync(Ct);
            Assert.True(response.StatusCode == HttpStatusCode.UnprocessableEntity, $"{route}: {(int)response.StatusCode} {body}");
            var problem = JsonDocument.Parse(body).RootElement;
            Assert.StartsWith(message, problem.GetProperty("errors").GetProperty("$schema")[0].GetString(), StringComparison.Ordinal);
        }

        var jobs = await scientist.GetFromJsonAsync<JsonElement>("/api/workspaces/default/jobs", Ct);
        Assert.Empty(jobs.GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task ManagedOnlineDeployment_PostedAsAJob_Is422SayingSetTypeKubernetes()
    {
        var scientist = _factory.AsUser("dana", StudioRoles.DataScientist);
        const string Yaml = "$schema: https://azuremlschemas.azureedge.net/latest/managedOnlineDeployment.schema.json\nname: blue\nendpoint_name: e\nmodel: azureml:m:1\ninstance_type: Standard_DS3_v2\ninstance_count: 1\n";

        var response = await scientist.PostAsync("/api/workspaces/default/jobs", new StringContent(Yaml, Encoding.UTF8, "application/yaml"), Ct);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.Contains("managed (Azure-hosted) online deployment", body, StringComparison.Ordinal);
        Assert.Contains("set type: kubernetes", body, StringComparison.Ordinal);
    }
}
