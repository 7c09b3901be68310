using Studio.Domain.Jobs;
using Studio.Web.Model;

namespace Studio.Web.Tests.Jobs;

public sealed class JobFormModelTests
{
    private static JobFormModel Valid() => new()
    {
        Compute = "gpu",
        Image = "python:3.12",
        Command = "python train.py --epochs ${{inputs.epochs}}",
        Inputs = [new KeyValueRow("epochs", "3")],
    };

    [Fact]
    public void Validate_WhenEverythingIsFilled_HasNoErrors() => Assert.Empty(Valid().Validate());

    [Theory]
    [InlineData("WORLD_SIZE", "set by Studio")]
    [InlineData("AZUREML_RUN_ID", "set by Studio")]
    [InlineData("STUDIO_X", "set by Studio")]
    [InlineData("MY VAR", "not a valid environment variable name")]
    public void Validate_WhenAnEnvironmentVariableIsReservedOrMalformed_SaysSoUnderTheField(string name, string message)
    {
        var form = Valid();
        form.EnvironmentVariables.Add(new KeyValueRow(name, "1"));

        Assert.Contains(message, form.Validate()[JobFormFields.EnvironmentVariables], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("../../etc")]
    [InlineData("v1.2")]
    [InlineData("<script>")]
    public void Validate_WhenTheExperimentNameIsNotAnAzureMlName_SaysWhatIsAllowed(string experiment)
    {
        var form = Valid();
        form.ExperimentName = experiment;

        Assert.Contains("letters, digits, '_' and '-'", form.Validate()[JobFormFields.ExperimentName], StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_WhenFieldsAreTooLong_NamesEachField()
    {
        var form = Valid();
        form.Command = "echo " + new string('x', JobSpecRules.MaxCommandBytes);
        form.Description = new string('d', JobSpecRules.MaxDescriptionLength + 1);
        form.Tags.Add(new KeyValueRow("k", new string('v', 300)));

        var errors = form.Validate();

        Assert.Contains("64 KiB", errors[JobFormFields.Command], StringComparison.Ordinal);
        Assert.Contains("at most 5000", errors[JobFormFields.Description], StringComparison.Ordinal);
        Assert.Contains("256", errors[JobFormFields.Tags], StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_WhenCommandUsesAnInputWithoutValue_NamesThePlaceholder()
    {
        var form = Valid();
        form.Inputs.Clear();

        var errors = form.Validate();

        Assert.Equal("The command uses ${{inputs.epochs}} but no input has that name.", errors[JobFormFields.Command]);
    }

    [Theory]
    [InlineData("Python:3.12")]
    [InlineData("python 3.12")]
    [InlineData("registry.io/team/:tag")]
    public void Validate_WhenImageIsNotAReference_SaysHowToWriteOne(string image)
    {
        var form = Valid();
        form.Image = image;

        Assert.StartsWith("Not a valid image reference", form.Validate()[JobFormFields.Image], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu20.04:latest")]
    [InlineData("localhost:5000/train@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")]
    [InlineData("busybox")]
    public void Validate_AcceptsRealImageReferences(string image)
    {
        var form = Valid();
        form.Image = image;

        Assert.False(form.Validate().ContainsKey(JobFormFields.Image));
    }

    [Fact]
    public void Validate_WhenTensorFlowRolesDoNotAddUpToInstances_SaysSo()
    {
        var form = Valid();
        form.InstanceCount = 3;
        form.Distribution = DistributionKind.TensorFlow;
        form.WorkerCount = 3;
        form.ParameterServerCount = 1;

        Assert.Equal("Workers + parameter servers (4) must equal the instance count (3).", form.Validate()[JobFormFields.WorkerCount]);
    }

    [Fact]
    public void Validate_WhenAnEnvironmentVariableRepeats_NamesIt()
    {
        var form = Valid();
        form.EnvironmentVariables = [new KeyValueRow("NCCL_DEBUG", "INFO"), new KeyValueRow("NCCL_DEBUG", "WARN")];

        Assert.Equal("'NCCL_DEBUG' appears twice.", form.Validate()[JobFormFields.EnvironmentVariables]);
    }

    [Fact]
    public void Validate_WhenNothingIsFilled_ReportsEachRequiredField()
    {
        var errors = new JobFormModel().Validate();

        Assert.Equal(["command", "compute", "image"], errors.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void ImportedOutputs_AreKeptByTheForm_AndSubmittedWithTheSpec()
    {
        var outputs = new Dictionary<string, JobDataOutput> { ["model"] = new(Studio.Domain.Artifacts.DataAssetType.UriFolder, "upload", "azureml://datastores/workspaceblobstore/paths/models/") };
        var spec = new JobSpec { Compute = "cpu", Image = "python:3.12", Command = "python train.py --out ${{outputs.model}}", DataOutputs = outputs };

        var back = JobFormModel.FromSpec(spec).ToSpec();

        Assert.Equal(outputs, back.DataOutputs);
        Assert.Empty(back.Validate());
    }

    [Fact]
    public void ToSpec_ThenFromSpec_KeepsEveryField()
    {
        var spec = new JobSpec
        {
            Compute = "gpu",
            InstanceType = "a100",
            InstanceCount = 2,
            Environment = "azureml:pytorch:3",
            Command = "torchrun train.py --lr ${{inputs.lr}}",
            Inputs = new Dictionary<string, string> { ["lr"] = "0.2" },
            EnvironmentVariables = new Dictionary<string, string> { ["NCCL_DEBUG"] = "INFO" },
            Distribution = new Distribution(DistributionKind.PyTorch, 4),
            Timeout = TimeSpan.FromMinutes(90),
            Priority = 5,
            DisplayName = "resnet",
            ExperimentName = "vision",
            Description = "d",
            Tags = new Dictionary<string, string> { ["team"] = "cv" },
            MaxRetries = 2,
        };

        var back = JobFormModel.FromSpec(spec).ToSpec();

        Assert.Equal(spec.Compute, back.Compute);
        Assert.Equal(spec.InstanceType, back.InstanceType);
        Assert.Equal(spec.InstanceCount, back.InstanceCount);
        Assert.Null(back.Image);
        Assert.Equal(spec.Environment, back.Environment);
        Assert.Equal(spec.Command, back.Command);
        Assert.Equal(spec.Inputs, back.Inputs);
        Assert.Equal(spec.EnvironmentVariables, back.EnvironmentVariables);
        Assert.Equal(spec.Distribution, back.Distribution);
        Assert.Equal(spec.Timeout, back.Timeout);
        Assert.Equal(spec.Priority, back.Priority);
        Assert.Equal(spec.DisplayName, back.DisplayName);
        Assert.Equal(spec.ExperimentName, back.ExperimentName);
        Assert.Equal(spec.Tags, back.Tags);
        Assert.Equal(spec.MaxRetries, back.MaxRetries);
    }

    [Theory]
    [InlineData("resources.instance_count", JobFormFields.InstanceCount)]
    [InlineData("limits.timeout", JobFormFields.Timeout)]
    [InlineData("InstanceType", JobFormFields.InstanceType)]
    [InlineData("distribution.process_count_per_instance", JobFormFields.ProcessCountPerInstance)]
    [InlineData("environment_variables.A-B", JobFormFields.EnvironmentVariables)]
    [InlineData("code", JobFormFields.Code)]
    [InlineData("frobnicate", null)]
    public void FieldOf_MapsServiceAndYamlPathsToFormFields(string path, string? field) => Assert.Equal(field, JobFormFields.Of(path));
}
