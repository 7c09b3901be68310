using Studio.Domain.Common;
using Studio.Domain.Jobs;

namespace Studio.Domain.Tests.Jobs;

public sealed class CommandJobYamlTests
{
    private static readonly string SamplesFolder = Path.Combine(AppContext.BaseDirectory, "Samples", "azureml-examples");

    /// <summary>Every command job sample copied into the repository (tests/Samples/azureml-examples).</summary>
    public static TheoryData<string> Samples()
    {
        var files = Directory.GetFiles(SamplesFolder, "jobs__*.yml")
            .Where(f => IsCommandJob(File.ReadAllText(f)))
            .ToList();
        var data = new TheoryData<string>();
        foreach (var file in files)
        {
            data.Add(file);
        }

        return data;
    }

    private static bool IsCommandJob(string yaml) =>
        yaml.Contains("commandJob.schema.json", StringComparison.Ordinal) || yaml.Contains("type: command", StringComparison.Ordinal)
        || (!yaml.Contains("type: pipeline", StringComparison.Ordinal) && !yaml.Contains("type: sweep", StringComparison.Ordinal) && yaml.Contains("command:", StringComparison.Ordinal));

    [Fact]
    public void SamplesFolder_HasTheFourCommandJobs()
    {
        Assert.True(Samples().Count >= 4, $"found {Samples().Count} samples");
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public void EverySample_Imports_AndWithItsComputeReplacedIsSubmittable(string file)
    {
        var result = CommandJobYaml.Import(File.ReadAllText(file));

        Assert.True(result.IsSuccess, string.Join("; ", result.Errors.Select(e => $"{e.Field}: {e.Message}")));
        var spec = result.Value.Spec with { Compute = "k8s-compute" };
        Assert.Empty(spec.Validate());
        Assert.All(result.Value.Unsupported, i => Assert.False(string.IsNullOrWhiteSpace(i.Path)));
        Assert.All(result.Value.Unsupported, i => Assert.False(string.IsNullOrWhiteSpace(i.Message)));
    }

    [Fact]
    public void CifarSample_MapsComputeEnvironmentDistributionInputsNamesAndCode_WithTheDataAssetAsADataInput()
    {
        var import = CommandJobYaml.Import(File.ReadAllText(Path.Combine(SamplesFolder, "jobs__single-step__pytorch__cifar-distributed__job.yml"))).Value;

        var spec = import.Spec;
        Assert.Equal("gpu-cluster", spec.Compute);
        Assert.Equal("AzureML-acpt-pytorch-2.8-cuda12.6@latest", spec.Environment);
        Assert.Null(spec.Image);
        Assert.Equal(2, spec.InstanceCount);
        Assert.Equal(new Distribution(DistributionKind.PyTorch, 1), spec.Distribution);
        Assert.Equal("1", spec.Inputs["epochs"]);
        Assert.Equal("0.2", spec.Inputs["learning_rate"]);
        Assert.Equal("azureml:cifar-10-example@latest", spec.DataInputs["cifar"].Path);
        Assert.Equal(("pytorch-cifar-distributed-example", "pytorch-cifar-distributed-example"), (spec.DisplayName, spec.ExperimentName));
        Assert.StartsWith("Train a basic convolutional", spec.Description, StringComparison.Ordinal);
        Assert.Equal("src", spec.Code);
        Assert.Empty(import.Unsupported);
        Assert.Contains("python train.py --epochs 1 --learning-rate 0.2 --data-dir /mnt/studio/inputs/cifar", spec.ResolvedCommand(), StringComparison.Ordinal);
    }

    [Fact]
    public void HelloWorldInput_SubstitutesLiteralInputs_IncludingNumbers()
    {
        var spec = CommandJobYaml.Import(File.ReadAllText(Path.Combine(SamplesFolder, "jobs__basics__hello-world-input.yml"))).Value.Spec;

        Assert.Equal("echo hello world\necho 42\n", spec.ResolvedCommand());
        Assert.Equal("library/python:latest", spec.Image);
        Assert.Equal(string.Empty, spec.Compute);
    }

    [Fact]
    public void HelloWorldEnvVar_KeepsEnvironmentVariables()
    {
        var spec = CommandJobYaml.Import(File.ReadAllText(Path.Combine(SamplesFolder, "jobs__basics__hello-world-env-var.yml"))).Value.Spec;

        Assert.Equal("hello world", spec.EnvironmentVariables["hello_env_var"]);
    }

    [Fact]
    public void EveryOptionalKey_IsMapped_AndUnsupportedOnesAreListedByPathWithAReason()
    {
        const string yaml = """
            type: command
            name: my-job
            display_name: My job
            experiment_name: exp
            description: d
            tags: {team: vision, cost: "12"}
            command: python train.py --lr ${{inputs.lr}}
            code: ./src
            environment:
              image: mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04:20240101
              conda_file: conda.yml
            environment_variables: {A: "1"}
            compute: azureml:gpu
            resources:
              instance_count: 4
              instance_type: gpu-a100
              shm_size: 8g
            limits:
              timeout: 3600
            inputs:
              lr: 0.1
              data:
                type: uri_folder
                path: azureml:data@latest
                mode: download
              typed: {type: integer, value: 7}
            outputs:
              model: {type: mlflow_model}
            distribution:
              type: tensorflow
              worker_count: 3
              parameter_server_count: 1
            queue_settings: {priority: high, job_tier: premium}
            services:
              my_vscode: {type: vs_code}
              my_ssh: {type: ssh}
            identity: {type: user_identity}
            frobnicate: true
            """;

        var import = CommandJobYaml.Import(yaml).Value;

        var s = import.Spec;
        Assert.Equal(("my-job", "My job", "exp", "d"), (s.Name, s.DisplayName, s.ExperimentName, s.Description));
        Assert.Equal(("gpu", "gpu-a100", 4), (s.Compute, s.InstanceType, s.InstanceCount));
        Assert.Equal(TimeSpan.FromHours(1), s.Timeout);
        Assert.Equal(100, s.Priority);
        Assert.Equal(new Distribution(DistributionKind.TensorFlow, null, 3, 1), s.Distribution);
        Assert.Equal(("0.1", "7"), (s.Inputs["lr"], s.Inputs["typed"]));
        Assert.Equal(("vision", "12"), (s.Tags["team"], s.Tags["cost"]));
        Assert.Equal("1", s.EnvironmentVariables["A"]);
        Assert.Equal("src", s.Code);
        Assert.Equal("conda.yml", s.InlineEnvironment?.CondaFilePath);
        Assert.Equal(
            ["resources.shm_size", "outputs.model.type", "queue_settings.job_tier", "services.my_vscode", "services.my_ssh", "identity", "frobnicate"],
            import.Unsupported.Select(i => i.Path));
        Assert.Empty(s.Validate());
    }

    [Theory]
    [InlineData("code: .", ".")]
    [InlineData("code: ./", ".")]
    [InlineData("code: ./src/", "src")]
    [InlineData("code: file:./train", "train")]
    public void Code_IsTheFolderBesideTheYaml_Normalized(string line, string expected) =>
        Assert.Equal(expected, CommandJobYaml.Import($"command: python train.py\nenvironment: {{image: python:3.12}}\n{line}\n").Value.Spec.Code);

    [Theory]
    [InlineData("code: ../outside")]
    [InlineData("code: /etc")]
    public void Code_LeavingTheFolder_IsAnErrorNamingCode(string line)
    {
        var import = CommandJobYaml.Import($"command: python train.py\nenvironment: {{image: python:3.12}}\n{line}\n");

        Assert.False(import.IsSuccess);
        Assert.Equal("code", import.Errors[0].Field);
    }

    [Fact]
    public void Code_FromADatastore_IsListedAsNotFetched()
    {
        var import = CommandJobYaml.Import("command: python train.py\nenvironment: {image: python:3.12}\ncode: azureml://datastores/blob/paths/src\n").Value;

        Assert.Null(import.Spec.Code);
        Assert.Equal(["code"], import.Unsupported.Select(i => i.Path));
    }

    public static TheoryData<string, string> Malformed() => new()
    {
        { "", "(document)" },
        { "command: [unclosed\n", "(document)" },
        { "- just\n- a list\n", "(document)" },
        { "command: echo\n---\ncommand: echo\n", "(document)" },
        { "environment: {image: x}\n", "command" },
        { "command: [a, b]\n", "command" },
        { "command: echo\nresources:\n  instance_count: two\n", "resources.instance_count" },
        { "command: echo\nresources:\n  instance_count: 0\n", "resources.instance_count" },
        { "command: echo\nresources: 4\n", "resources" },
        { "command: echo\ndistribution:\n  type: horovod\n", "distribution.type" },
        { "command: echo\ndistribution:\n  process_count_per_instance: 2\n", "distribution.type" },
        { "command: echo\ndistribution:\n  type: pytorch\n  process_count_per_instance: many\n", "distribution.process_count_per_instance" },
        { "command: echo\nlimits:\n  timeout: soon\n", "limits.timeout" },
        { "command: echo\nlimits:\n  timeout: -5\n", "limits.timeout" },
        { "command: echo\nqueue_settings:\n  priority: urgent\n", "queue_settings.priority" },
        { "type: sweep\ncommand: echo\n", "type" },
        { "command: echo\ntags: [a, b]\n", "tags" },
        { "command: echo\nenvironment_variables:\n  A: [1, 2]\n", "environment_variables.A" },
        { "$schema: https://azuremlschemas.azureedge.net/latest/pipelineJob.schema.json\ncommand: echo\n", "$schema" },
        { "command: echo\nenvironment: ''\n", "environment" },
        { "command: echo\ntags:\n  ? [a, b]\n  : v\n", "tags" },
        { "command: echo\ntags:\n  ? {k: v}\n  : v\n", "tags" },
        { "command: echo\nenvironment_variables:\n  ? [A]\n  : v\n", "environment_variables" },
        { "? [command]\n: echo\ncommand: echo\n", "(document)" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void MalformedYaml_FailsWithAnErrorNamingItsPath(string yaml, string path)
    {
        var result = CommandJobYaml.Import(yaml);

        Assert.False(result.IsSuccess);
        Assert.Contains(result.Errors, e => e.Field == path);
        Assert.All(result.Errors, e => Assert.Equal(ErrorKind.Validation, e.Kind));
        Assert.All(result.Errors, e => Assert.False(string.IsNullOrWhiteSpace(e.Message)));
    }

    [Fact]
    public void SyntaxError_SaysWhereInTheFile()
    {
        var result = CommandJobYaml.Import("command: echo\nresources:\n  instance_count: 1\n   bad: indent\n");

        Assert.Contains("line 4", Assert.Single(result.Errors).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("compute: azureml:gpu-cluster", "gpu-cluster")]
    [InlineData("compute: gpu-cluster", "gpu-cluster")]
    [InlineData("compute: azureml:/subscriptions/s/resourceGroups/r/providers/Microsoft.MachineLearningServices/workspaces/w/computes/k8s", "k8s")]
    [InlineData("compute: local", "")]
    public void Compute_ResolvesToTheComputeTargetName(string line, string expected)
    {
        var spec = CommandJobYaml.Import($"command: echo\nenvironment: {{image: busybox:1.36}}\n{line}\n").Value.Spec;

        Assert.Equal(expected, spec.Compute);
    }

    [Theory]
    [InlineData("environment: azureml:my-env@latest", "my-env@latest")]
    [InlineData("environment: azureml:my-env:3", "my-env:3")]
    [InlineData("environment: azureml://registries/azureml/environments/sklearn-1.5/versions/2", "AzureML-sklearn-1.5:2")]
    public void NamedEnvironment_IsKeptAsAReference(string line, string expected)
    {
        var spec = CommandJobYaml.Import($"command: echo\n{line}\n").Value.Spec;

        Assert.Equal((expected, null), (spec.Environment, spec.Image));
    }

    public static TheoryData<JobSpec> RoundTrips() => new()
    {
        new JobSpec { Compute = "gpu", Command = "python train.py --lr ${{inputs.lr}}", Image = "busybox:1.36", Inputs = new Dictionary<string, string> { ["lr"] = "0.1" } },
        new JobSpec
        {
            Compute = "gpu", Command = "line one\nline \"two\": yes", Environment = "my-env@latest", InstanceCount = 3, InstanceType = "gpu-a100",
            Distribution = new Distribution(DistributionKind.Mpi, 2), Timeout = TimeSpan.FromMinutes(90), Priority = -100, Name = "n1",
            DisplayName = "Display: name", ExperimentName = "exp", Description = "# not a comment", Tags = new Dictionary<string, string> { ["k"] = "true" },
            EnvironmentVariables = new Dictionary<string, string> { ["X"] = "{json}" },
        },
    };

    [Theory]
    [MemberData(nameof(RoundTrips))]
    public void Export_ThenImport_GivesTheSameSpec(JobSpec spec)
    {
        var back = CommandJobYaml.Import(CommandJobYamlExport.Export(spec));

        Assert.True(back.IsSuccess, string.Join("; ", back.Errors.Select(e => $"{e.Field}: {e.Message}")) + "\n" + CommandJobYamlExport.Export(spec));
        var b = back.Value.Spec;
        Assert.Empty(back.Value.Unsupported);
        Assert.Equal((spec.Compute, spec.Command, spec.Image, spec.Environment, spec.InstanceCount, spec.InstanceType, spec.Distribution, spec.Timeout, spec.Priority, spec.Name, spec.DisplayName, spec.ExperimentName, spec.Description), (b.Compute, b.Command, b.Image, b.Environment, b.InstanceCount, b.InstanceType, b.Distribution, b.Timeout, b.Priority, b.Name, b.DisplayName, b.ExperimentName, b.Description));
        Assert.Equal(spec.Inputs.OrderBy(k => k.Key), b.Inputs.OrderBy(k => k.Key));
        Assert.Equal(spec.Tags.OrderBy(k => k.Key), b.Tags.OrderBy(k => k.Key));
        Assert.Equal(spec.EnvironmentVariables.OrderBy(k => k.Key), b.EnvironmentVariables.OrderBy(k => k.Key));
    }

    [Fact]
    public void NonScalarTagKey_IsRefused_NotStoredAsText()
    {
        var result = CommandJobYaml.Import("command: echo\ntags:\n  ? [a, b]\n  : v\n");

        Assert.False(result.IsSuccess);
        Assert.Contains(result.Errors, e => e.Field == "tags" && e.Message.Contains("single value", StringComparison.Ordinal));
    }
}
