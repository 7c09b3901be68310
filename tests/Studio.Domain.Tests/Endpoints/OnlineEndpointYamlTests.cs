using Studio.Domain.AzureMl;
using Studio.Domain.Common;
using Studio.Domain.Endpoints;

namespace Studio.Domain.Tests.Endpoints;

public sealed class OnlineEndpointYamlTests
{
    private static readonly string SamplesFolder = Path.Combine(AppContext.BaseDirectory, "Samples", "azureml-examples");

    private static string Sample(string name) => File.ReadAllText(Path.Combine(SamplesFolder, $"endpoints__online__kubernetes__{name}.yml"));

    [Fact]
    public void EndpointSample_ImportsNameComputeKeyAuthAndTags()
    {
        var import = OnlineEndpointYaml.Import(Sample("kubernetes-endpoint")).Value;

        Assert.Equal("my-endpoint", import.Spec.Name);
        Assert.Equal("inferencecompute", import.Spec.Compute);
        Assert.Equal(EndpointAuthMode.Key, import.Spec.AuthMode);
        Assert.Equal("endpoint-tag1-value", import.Spec.Tags["tag1"]);
        Assert.Empty(import.Unsupported);
        Assert.Empty(import.Spec.Validate());
    }

    [Fact]
    public void BlueSample_ImportsModelFolderCodeImageCondaResourcesRequestSettingsAndDefaultScale()
    {
        var spec = OnlineDeploymentYaml.Import(Sample("kubernetes-blue-deployment")).Value.Spec;

        Assert.Equal("blue", spec.Name);
        Assert.Equal("my-endpoint", spec.EndpointName);
        Assert.Equal(new DeploymentModel(null, "../model-1/model/"), spec.Model);
        Assert.Equal(new CodeConfiguration("../model-1/onlinescoring/", "score.py"), spec.CodeConfiguration);
        Assert.Equal("mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04:latest", spec.Image);
        Assert.Equal("../model-1/environment/conda.yaml", spec.CondaFile);
        Assert.Null(spec.Environment);
        Assert.Equal(new RequestSettings(3000, 1, 3000), spec.RequestSettings);
        Assert.Equal(new DeploymentResources("0.1", "0.1Gi", "0.2", "200Mi"), spec.Resources);
        Assert.Equal(1, spec.InstanceCount);
        Assert.Equal(ScaleSettings.Default, spec.ScaleSettings);
        Assert.Null(spec.InstanceType);
        Assert.Equal(ProbeSettings.Default, spec.LivenessProbe);
        Assert.Empty(spec.Validate());
    }

    [Fact]
    public void GreenSample_ImportsTargetUtilizationInstanceTypeRequestsOnlyAndAppInsights()
    {
        var import = OnlineDeploymentYaml.Import(Sample("kubernetes-green-deployment")).Value;
        var spec = import.Spec;

        Assert.Equal(new ScaleSettings(ScaleType.TargetUtilization, 1, 3, 70, 10), spec.ScaleSettings);
        Assert.Equal("defaultinstancetype", spec.InstanceType);
        Assert.Equal(new DeploymentResources("0.1", "0.1Gi"), spec.Resources);
        Assert.True(spec.AppInsightsEnabled);
        Assert.Equal(1, spec.InitialReplicas);
        Assert.Empty(import.Unsupported);
        Assert.Empty(spec.Validate());
    }

    [Fact]
    public void DeploymentSample_ImportedAsAnEndpoint_IsRefusedSayingWhereItGoes()
    {
        var error = Assert.Single(OnlineEndpointYaml.Import(Sample("kubernetes-blue-deployment")).Errors);

        Assert.Equal(AzureMlFiles.WrongKind, error.Code);
        Assert.StartsWith("This is a Kubernetes online deployment, not a Kubernetes online endpoint: import it on the Endpoints page / POST", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ManagedDeployment_IsRefusedWithSetTypeKubernetes()
    {
        var error = Assert.Single(OnlineDeploymentYaml.Import("$schema: https://azuremlschemas.azureedge.net/latest/managedOnlineDeployment.schema.json\nname: blue\nendpoint_name: e\nmodel: azureml:m:1\ninstance_type: Standard_DS3_v2\n").Errors);

        Assert.Equal(AzureMlFiles.WrongKind, error.Code);
        Assert.Contains("set type: kubernetes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void KubernetesSchemaWithTypeManaged_FailsAtType()
    {
        var error = Assert.Single(OnlineDeploymentYaml.Import("$schema: https://azuremlschemas.azureedge.net/latest/kubernetesOnlineDeployment.schema.json\nname: blue\nendpoint_name: e\ntype: managed\nenvironment: {image: python:3.12}\n").Errors);

        Assert.Equal("type", error.Field);
        Assert.Contains("set type: kubernetes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ManagedEndpoint_IsRefusedWithSetAKubernetesCompute()
    {
        var error = Assert.Single(OnlineEndpointYaml.Import("$schema: https://azuremlschemas.azureedge.net/latest/managedOnlineEndpoint.schema.json\nname: my-endpoint\nauth_mode: key\n").Errors);

        Assert.Contains("set a Kubernetes compute", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RegisteredModelAndEnvironment_AreKeptAsReferences_AndUnknownKeysAreListed()
    {
        var import = OnlineDeploymentYaml.Import("name: blue\nendpoint_name: e\ntype: kubernetes\nmodel: azureml:sklearn-model:3\nenvironment: azureml:sklearn-env@latest\ndata_collector: {sampling_rate: 1}\nwhatever: 1\nscale_settings: {type: default, burst: 2}\n").Value;

        Assert.Equal(new DeploymentModel("azureml:sklearn-model:3"), import.Spec.Model);
        Assert.Equal("sklearn-env@latest", import.Spec.Environment);
        Assert.Equal(["data_collector", "whatever", "scale_settings.burst"], import.Unsupported.Select(i => i.Path));
    }

    [Fact]
    public void EndpointWithTraffic_ListsTrafficAsSetLater_AndAmlTokenIsRead()
    {
        var import = OnlineEndpointYaml.Import("name: my-endpoint\ncompute: azureml:k8s\nauth_mode: AML_Token\ntraffic: {blue: 100}\n").Value;

        Assert.Equal(EndpointAuthMode.AmlToken, import.Spec.AuthMode);
        Assert.Equal("traffic", Assert.Single(import.Unsupported).Path);
    }

    public static TheoryData<string, string> BadEndpoints() => new()
    {
        { "name: e1x\nauth_mode: key\ncompute: ''\n", "compute" },
        { "name: e1x\ncompute: k8s\nauth_mode: aad_token\n", "auth_mode" },
        { "name: e1x\ncompute: k8s\nauth_mode: certificate\n", "auth_mode" },
        { "name: e1x\ncompute: k8s\ntags: [a]\n", "tags" },
        { "name: [a]\ncompute: k8s\n", "name" },
        { "- a\n", "(document)" },
        { "", "(document)" },
        { "name: e\ncompute: [\n", "(document)" },
    };

    [Theory]
    [MemberData(nameof(BadEndpoints))]
    public void BadEndpoint_FailsNamingThePath(string yaml, string path)
    {
        var result = OnlineEndpointYaml.Import(yaml);

        Assert.False(result.IsSuccess);
        Assert.Contains(result.Errors, e => e.Field == path);
    }

    private const string Deployment = "name: blue\nendpoint_name: e\ntype: kubernetes\nenvironment: {image: python:3.12}\n";

    public static TheoryData<string, string> BadDeployments() => new()
    {
        { "instance_count: two\n", "instance_count" },
        { "scale_settings: {type: burst}\n", "scale_settings.type" },
        { "scale_settings: {min_instances: x}\n", "scale_settings.min_instances" },
        { "request_settings: {request_timeout_ms: soon}\n", "request_settings.request_timeout_ms" },
        { "liveness_probe: {period: [1]}\n", "liveness_probe.period" },
        { "resources: {requests: {nvidia.com/gpu: '1'}}\n", "resources.requests.nvidia.com/gpu" },
        { "model: azureml://registries/azureml/models/phi/versions/1\n", "model" },
        { "model: {name: m}\n", "model.path" },
        { "app_insights_enabled: maybe\n", "app_insights_enabled" },
        { "environment_variables: {A: [1]}\n", "environment_variables.A" },
    };

    [Theory]
    [MemberData(nameof(BadDeployments))]
    public void BadDeployment_FailsNamingThePath(string line, string path)
    {
        var result = OnlineDeploymentYaml.Import(Deployment + line);

        Assert.False(result.IsSuccess);
        Assert.Contains(result.Errors, e => e.Field == path);
        Assert.All(result.Errors, e => Assert.Equal(ErrorKind.Validation, e.Kind));
    }

    [Theory]
    [InlineData("name: blue\nendpoint_name: e\ntype: kubernetes\n", "environment")]
    [InlineData("name: blue\nendpoint_name: e\ntype: kubernetes\nenvironment: {conda_file: c.yml}\n", "environment.image")]
    [InlineData("name: blue\nendpoint_name: e\ntype: kubernetes\nenvironment: {image: x, build: {path: .}}\n", "environment.build")]
    public void DeploymentWithoutAnImageOrEnvironment_FailsAtEnvironment(string yaml, string path)
    {
        Assert.Contains(OnlineDeploymentYaml.Import(yaml).Errors, e => e.Field == path);
    }
}
