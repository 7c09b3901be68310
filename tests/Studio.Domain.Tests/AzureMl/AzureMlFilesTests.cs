using Studio.Domain.Artifacts;
using Studio.Domain.AzureMl;
using Studio.Domain.Jobs;

namespace Studio.Domain.Tests.AzureMl;

public sealed class AzureMlFilesTests
{
    private static readonly string SamplesFolder = Path.Combine(AppContext.BaseDirectory, "Samples", "azureml-examples");

    /// <summary>What every sample file under tests/Samples/azureml-examples is; a new sample must be added here.</summary>
    private static readonly Dictionary<string, AzureMlFileKind> Expected = new(StringComparer.Ordinal)
    {
        ["jobs__basics__hello-world.yml"] = AzureMlFileKind.CommandJob,
        ["jobs__basics__hello-world-env-var.yml"] = AzureMlFileKind.CommandJob,
        ["jobs__basics__hello-world-input.yml"] = AzureMlFileKind.CommandJob,
        ["jobs__single-step__pytorch__cifar-distributed__job.yml"] = AzureMlFileKind.CommandJob,
        ["endpoints__online__kubernetes__kubernetes-endpoint.yml"] = AzureMlFileKind.KubernetesOnlineEndpoint,
        ["endpoints__online__kubernetes__kubernetes-blue-deployment.yml"] = AzureMlFileKind.KubernetesOnlineDeployment,
        ["endpoints__online__kubernetes__kubernetes-green-deployment.yml"] = AzureMlFileKind.KubernetesOnlineDeployment,
        ["endpoints__batch__deploy-models__heart-classifier-mlflow__endpoint.yml"] = AzureMlFileKind.BatchEndpoint,
        ["endpoints__batch__deploy-models__heart-classifier-mlflow__deployment-custom__deployment.yml"] = AzureMlFileKind.BatchDeployment,
        ["endpoints__batch__deploy-models__heart-classifier-mlflow__deployment-simple__deployment.yml"] = AzureMlFileKind.BatchDeployment,
        ["endpoints__batch__deploy-models__heart-classifier-mlflow__heart-dataset-unlabeled.yml"] = AzureMlFileKind.Data,
    };

    public static TheoryData<string> SampleFiles()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(SamplesFolder, "*.yml").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(file));
        }

        return data;
    }

    [Fact]
    public void SamplesFolder_HoldsJobsEndpointsAndData()
    {
        Assert.True(SampleFiles().Count >= Expected.Count, $"found {SampleFiles().Count} samples");
    }

    [Theory]
    [MemberData(nameof(SampleFiles))]
    public void EverySample_IsRecognisedAsWhatItIs(string file)
    {
        Assert.True(Expected.TryGetValue(file, out var kind), $"{file} is not in the table of expected kinds");

        Assert.Equal(kind, AzureMlFiles.Recognise(File.ReadAllText(Path.Combine(SamplesFolder, file))).Kind);
    }

    [Theory]
    [MemberData(nameof(SampleFiles))]
    public void EveryNonJobSample_IsRefusedByTheJobImporter_With422SayingWhatItIsAndWhereItGoes(string file)
    {
        var yaml = File.ReadAllText(Path.Combine(SamplesFolder, file));
        var recognised = AzureMlFiles.Recognise(yaml);
        if (recognised.Kind == AzureMlFileKind.CommandJob)
        {
            Assert.True(CommandJobYaml.Import(yaml).IsSuccess);
            return;
        }

        var error = Assert.Single(CommandJobYaml.Import(yaml).Errors);

        Assert.Equal(AzureMlFiles.WrongKind, error.Code);
        Assert.True(error.IsUnprocessable);
        Assert.Equal("$schema", error.Field);
        Assert.StartsWith($"This is {recognised.Description}, not a command job: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void KubernetesDeployment_PostedAsAJob_SaysImportItOnTheEndpointsPage()
    {
        var yaml = File.ReadAllText(Path.Combine(SamplesFolder, "endpoints__online__kubernetes__kubernetes-blue-deployment.yml"));

        var error = Assert.Single(CommandJobYaml.Import(yaml).Errors);

        Assert.Equal(
            "This is a Kubernetes online deployment, not a command job: import it on the Endpoints page / POST /api/workspaces/{workspace}/endpoints/{endpoint}/deployments.",
            error.Message);
    }

    [Fact]
    public void JobCarryingAManagedOnlineDeploymentSchema_IsNoLongerAcceptedAsAJob_AndIsToldToSetTypeKubernetes()
    {
        var result = CommandJobYaml.Import("$schema: https://azuremlschemas.azureedge.net/latest/managedOnlineDeployment.schema.json\ncommand: python score.py\nenvironment: {image: python:3.12}\n");

        var error = Assert.Single(result.Errors);
        Assert.Equal(AzureMlFiles.WrongKind, error.Code);
        Assert.Contains("managed (Azure-hosted) online deployment", error.Message, StringComparison.Ordinal);
        Assert.Contains("set type: kubernetes", error.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string, AzureMlFileKind> Schemas() => new()
    {
        { "https://azuremlschemas.azureedge.net/latest/commandJob.schema.json", AzureMlFileKind.CommandJob },
        { "https://azuremlschemas.azureedge.net/latest/sweepJob.schema.json", AzureMlFileKind.SweepJob },
        { "https://azuremlschemas.azureedge.net/latest/pipelineJob.schema.json", AzureMlFileKind.PipelineJob },
        { "https://azuremlschemas.azureedge.net/latest/autoMLJob.schema.json", AzureMlFileKind.AutoMLJob },
        { "https://azuremlschemas.azureedge.net/latest/sparkJob.schema.json", AzureMlFileKind.SparkJob },
        { "https://azuremlschemas.azureedge.net/latest/commandComponent.schema.json", AzureMlFileKind.Component },
        { "https://azuremlschemas.azureedge.net/latest/pipelineComponent.schema.json", AzureMlFileKind.Component },
        { "https://azuremlschemas.azureedge.net/latest/kubernetesOnlineEndpoint.schema.json", AzureMlFileKind.KubernetesOnlineEndpoint },
        { "https://azuremlschemas.azureedge.net/latest/kubernetesOnlineDeployment.schema.json", AzureMlFileKind.KubernetesOnlineDeployment },
        { "https://azuremlschemas.azureedge.net/latest/managedOnlineEndpoint.schema.json", AzureMlFileKind.ManagedOnlineEndpoint },
        { "https://azuremlschemas.azureedge.net/latest/managedOnlineDeployment.schema.json", AzureMlFileKind.ManagedOnlineDeployment },
        { "https://azuremlschemas.azureedge.net/latest/batchEndpoint.schema.json", AzureMlFileKind.BatchEndpoint },
        { "https://azuremlschemas.azureedge.net/latest/batchDeployment.schema.json", AzureMlFileKind.BatchDeployment },
        { "https://azuremlschemas.azureedge.net/latest/modelBatchDeployment.schema.json", AzureMlFileKind.BatchDeployment },
        { "https://azuremlschemas.azureedge.net/latest/pipelineComponentBatchDeployment.schema.json", AzureMlFileKind.BatchDeployment },
        { "https://azuremlschemas.azureedge.net/latest/model.schema.json", AzureMlFileKind.Model },
        { "https://azuremlschemas.azureedge.net/latest/data.schema.json", AzureMlFileKind.Data },
        { "https://azuremlschemas.azureedge.net/latest/environment.schema.json", AzureMlFileKind.Environment },
        { "https://azuremlschemas.azureedge.net/latest/kubernetesCompute.schema.json", AzureMlFileKind.Compute },
        { "https://azuremlschemas.azureedge.net/latest/azureBlob.schema.json", AzureMlFileKind.Datastore },
        { "https://azuremlschemas.azureedge.net/1.2.3/KubernetesOnlineDeployment.schema.json", AzureMlFileKind.KubernetesOnlineDeployment },
        { "https://example.com/latest/somethingNew.schema.json", AzureMlFileKind.Unknown },
    };

    [Theory]
    [MemberData(nameof(Schemas))]
    public void Schema_IsRecognisedByItsName_WhateverItsVersionFolderOrCase(string schema, AzureMlFileKind kind)
    {
        Assert.Equal(kind, AzureMlFiles.FromSchema(schema).Kind);
        Assert.Equal(kind, AzureMlFiles.Recognise($"$schema: {schema}\nname: x\n").Kind);
    }

    [Theory]
    [InlineData("name: blue\nendpoint_name: e\ntype: kubernetes\ninstance_count: 1\n", AzureMlFileKind.KubernetesOnlineDeployment)]
    [InlineData("name: blue\nendpoint_name: e\ninstance_type: Standard_DS3_v2\n", AzureMlFileKind.ManagedOnlineDeployment)]
    [InlineData("name: blue\nendpoint_name: e\ntype: managed\n", AzureMlFileKind.ManagedOnlineDeployment)]
    [InlineData("name: d\nendpoint_name: e\ntype: model\ncompute: azureml:batch\n", AzureMlFileKind.BatchDeployment)]
    [InlineData("name: e\nauth_mode: key\ncompute: azureml:k8s\n", AzureMlFileKind.KubernetesOnlineEndpoint)]
    [InlineData("name: e\nauth_mode: key\n", AzureMlFileKind.ManagedOnlineEndpoint)]
    [InlineData("name: e\nauth_mode: aad_token\n", AzureMlFileKind.BatchEndpoint)]
    [InlineData("command: echo\n", AzureMlFileKind.Unknown)]
    [InlineData("- a\n- b\n", AzureMlFileKind.Unknown)]
    [InlineData("key: [unclosed\n", AzureMlFileKind.Unknown)]
    public void FileWithoutSchema_IsRecognisedByItsTellingKeys(string yaml, AzureMlFileKind kind)
    {
        Assert.Equal(kind, AzureMlFiles.Recognise(yaml).Kind);
    }

    [Fact]
    public void ManagedDeploymentWithoutSchema_PostedAsAJob_IsRefused()
    {
        var error = Assert.Single(CommandJobYaml.Import("name: blue\nendpoint_name: e\nmodel: azureml:m:1\ninstance_type: Standard_DS3_v2\ninstance_count: 1\n").Errors);

        Assert.Equal(AzureMlFiles.WrongKind, error.Code);
    }

    [Fact]
    public void EndpointFile_ImportedAsAModelOrData_IsRefusedWithWhereItGoes()
    {
        var yaml = File.ReadAllText(Path.Combine(SamplesFolder, "endpoints__online__kubernetes__kubernetes-endpoint.yml"));

        var asModel = Assert.Single(AssetYaml.ReadModel(yaml).Errors);
        var asData = Assert.Single(AssetYaml.ReadData(yaml).Errors);

        Assert.Equal(AzureMlFiles.WrongKind, asModel.Code);
        Assert.StartsWith("This is a Kubernetes online endpoint, not a model: import it on the Endpoints page", asModel.Message, StringComparison.Ordinal);
        Assert.StartsWith("This is a Kubernetes online endpoint, not a data asset: ", asData.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownSchema_IsLeftToTheImporter_WhichSaysWhatIsMissing()
    {
        var result = CommandJobYaml.Import("$schema: https://example.com/thing.schema.json\nname: x\n");

        Assert.Contains(result.Errors, e => e.Field == "command");
        Assert.Null(AzureMlFiles.Refuse(AzureMlFiles.FromSchema("https://example.com/thing.schema.json"), "a command job", AzureMlFileKind.CommandJob));
    }
}
