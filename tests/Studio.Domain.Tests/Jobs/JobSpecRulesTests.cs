using Studio.Domain.Jobs;

namespace Studio.Domain.Tests.Jobs;

public sealed class JobSpecRulesTests
{
    private static JobSpec Valid() => new() { Compute = "gpu", Command = "python train.py", Image = "mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04:20240101" };

    public static TheoryData<string, JobSpec, string> Invalid() => new()
    {
        { "no compute", Valid() with { Compute = " " }, "compute" },
        { "no command", Valid() with { Command = "" }, "command" },
        { "unknown input", Valid() with { Command = "python train.py --lr ${{inputs.lr}}" }, "command" },
        { "output placeholder", Valid() with { Command = "python train.py --out ${{outputs.model}}" }, "command" },
        { "no environment", Valid() with { Image = null }, "environment" },
        { "image and environment", Valid() with { Environment = "env@latest" }, "environment" },
        { "upper-case image", Valid() with { Image = "MyRegistry/Trainer:1" }, "environment.image" },
        { "image with spaces", Valid() with { Image = "my trainer:1" }, "environment.image" },
        { "zero instances", Valid() with { InstanceCount = 0 }, "resources.instance_count" },
        { "too many instances", Valid() with { InstanceCount = 10_000 }, "resources.instance_count" },
        { "mpi without processes", Valid() with { Distribution = new Distribution(DistributionKind.Mpi) }, "distribution.process_count_per_instance" },
        { "pytorch zero processes", Valid() with { Distribution = new Distribution(DistributionKind.PyTorch, 0) }, "distribution.process_count_per_instance" },
        { "tensorflow counts do not add up", Valid() with { InstanceCount = 2, Distribution = new Distribution(DistributionKind.TensorFlow, null, 3, 1) }, "distribution.worker_count" },
        { "negative parameter servers", Valid() with { Distribution = new Distribution(DistributionKind.TensorFlow, null, 1, -1) }, "distribution.parameter_server_count" },
        { "zero timeout", Valid() with { Timeout = TimeSpan.Zero }, "limits.timeout" },
        { "negative retries", Valid() with { MaxRetries = -1 }, "max_retries" },
        { "bad name", Valid() with { Name = "My_Job" }, "name" },
        { "bad env var", Valid() with { EnvironmentVariables = new Dictionary<string, string> { ["1X"] = "v" } }, "environment_variables.1X" },
        { "priority out of range", Valid() with { Priority = 5000 }, "queue_settings.priority" },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Validate_NamesTheField(string situation, JobSpec spec, string field)
    {
        var errors = spec.Validate();

        Assert.True(errors.Any(e => e.Field == field), $"{situation}: expected an error on {field}, got {string.Join("; ", errors.Select(e => $"{e.Field}: {e.Message}"))}");
    }

    [Fact]
    public void Validate_AValidSpec_HasNoErrors()
    {
        Assert.Empty(Valid().Validate());
        Assert.Empty((Valid() with { InstanceCount = 4, Distribution = new Distribution(DistributionKind.TensorFlow, null, null, 1) }).Validate());
        Assert.Empty((Valid() with { Image = null, Environment = "AzureML-sklearn-1.5@latest", Command = "echo ${{inputs.x}}", Inputs = new Dictionary<string, string> { ["x"] = "1" } }).Validate());
    }

    [Theory]
    [InlineData("python train.py --lr ${{inputs.lr}} --lr2 ${{ inputs.lr }}", "python train.py --lr 0.1 --lr2 0.1")]
    [InlineData("echo ${{inputs.missing}}", "echo ${{inputs.missing}}")]
    [InlineData("echo ${{outputs.model}}", "echo ${{outputs.model}}")]
    public void Substitute_ReplacesKnownInputs(string command, string expected) =>
        Assert.Equal(expected, JobSpecRules.Substitute(command, new Dictionary<string, string> { ["lr"] = "0.1" }));

    [Theory]
    [InlineData("busybox", true)]
    [InlineData("library/python:3.12", true)]
    [InlineData("mcr.microsoft.com/azureml/curated/acpt-pytorch-2.8-cuda12.6:latest", true)]
    [InlineData("localhost:5000/team/trainer:v1.2", true)]
    [InlineData("ghcr.io/org/img@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", true)]
    [InlineData("Team/Trainer", false)]
    [InlineData("trainer:", false)]
    [InlineData("", false)]
    public void ValidateImage(string image, bool valid) => Assert.Equal(valid, JobSpecRules.ValidateImage(image) is null);

    [Fact]
    public void ImageWarnings_FlagMissingTagsLatestAndDockerHub()
    {
        Assert.Equal(2, JobSpecRules.ImageWarnings("busybox").Count);
        Assert.Contains(JobSpecRules.ImageWarnings("mcr.microsoft.com/azureml/x:latest"), w => w.Contains(":latest", StringComparison.Ordinal));
        Assert.Empty(JobSpecRules.ImageWarnings("mcr.microsoft.com/azureml/x:20240101"));
    }
}
