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
        { "reserved env MASTER_ADDR", Valid() with { EnvironmentVariables = Env("MASTER_ADDR") }, "environment_variables.MASTER_ADDR" },
        { "reserved env WORLD_SIZE", Valid() with { EnvironmentVariables = Env("WORLD_SIZE") }, "environment_variables.WORLD_SIZE" },
        { "reserved env RANK", Valid() with { EnvironmentVariables = Env("RANK") }, "environment_variables.RANK" },
        { "reserved env LOCAL_RANK", Valid() with { EnvironmentVariables = Env("LOCAL_RANK") }, "environment_variables.LOCAL_RANK" },
        { "reserved env TF_CONFIG", Valid() with { EnvironmentVariables = Env("TF_CONFIG") }, "environment_variables.TF_CONFIG" },
        { "reserved env AZUREML_*", Valid() with { EnvironmentVariables = Env("AZUREML_RUN_ID") }, "environment_variables.AZUREML_RUN_ID" },
        { "reserved env STUDIO_*", Valid() with { EnvironmentVariables = Env("STUDIO_JOB_NAME") }, "environment_variables.STUDIO_JOB_NAME" },
        { "env name with a space", Valid() with { EnvironmentVariables = Env("MY VAR") }, "environment_variables.MY VAR" },
        { "env name with '='", Valid() with { EnvironmentVariables = Env("A=B") }, "environment_variables.A=B" },
        { "too many env vars", Valid() with { EnvironmentVariables = Enumerable.Range(0, JobSpecRules.MaxEnvironmentVariables + 1).ToDictionary(i => $"V{i}", _ => "x") }, "environment_variables" },
        { "env value over 32 KiB", Valid() with { EnvironmentVariables = new Dictionary<string, string> { ["BIG"] = new string('x', JobSpecRules.MaxEnvironmentValueBytes + 1) } }, "environment_variables.BIG" },
        { "env total over 256 KiB", Valid() with { EnvironmentVariables = Enumerable.Range(0, 10).ToDictionary(i => $"V{i}", _ => new string('x', 30 * 1024)) }, "environment_variables" },
        { "command over 64 KiB", Valid() with { Command = "echo " + new string('x', JobSpecRules.MaxCommandBytes) }, "command" },
        { "command over 64 KiB in UTF-8", Valid() with { Command = "echo " + new string('é', (JobSpecRules.MaxCommandBytes / 2) + 1) }, "command" },
        { "resolved command over 64 KiB", Valid() with { Command = "echo ${{inputs.a}} ${{inputs.a}} ${{inputs.a}}", Inputs = new Dictionary<string, string> { ["a"] = new string('x', 30_000) } }, "command" },
        { "input value over 32 KiB", Valid() with { Inputs = new Dictionary<string, string> { ["a"] = new string('x', JobSpecRules.MaxInputValueBytes + 1) } }, "inputs.a" },
        { "display name over 256", Valid() with { DisplayName = new string('d', 257) }, "display_name" },
        { "description over 5,000", Valid() with { Description = new string('d', JobSpecRules.MaxDescriptionLength + 1) }, "description" },
        { "too many tags", Valid() with { Tags = Enumerable.Range(0, JobSpecRules.MaxTags + 1).ToDictionary(i => $"t{i}", _ => "v") }, "tags" },
        { "tag key over 256", Valid() with { Tags = new Dictionary<string, string> { [new string('k', 257)] = "v" } }, "tags." + new string('k', 64) + "…" },
        { "tag value over 256", Valid() with { Tags = new Dictionary<string, string> { ["k"] = new string('v', 257) } }, "tags.k" },
        { "experiment path traversal", Valid() with { ExperimentName = "../../etc" }, "experiment_name" },
        { "experiment shell", Valid() with { ExperimentName = "$(rm -rf /)" }, "experiment_name" },
        { "experiment markup", Valid() with { ExperimentName = "<script>" }, "experiment_name" },
        { "experiment jndi", Valid() with { ExperimentName = "${jndi:ldap://x}" }, "experiment_name" },
        { "experiment url", Valid() with { ExperimentName = "https://evil.example/x" }, "experiment_name" },
        { "experiment with a dot", Valid() with { ExperimentName = "v1.2" }, "experiment_name" },
        { "experiment starting with '-'", Valid() with { ExperimentName = "-x" }, "experiment_name" },
        { "experiment over 255", Valid() with { ExperimentName = new string('e', 256) }, "experiment_name" },
        { "annotation key with spaces", Valid() with { PodAnnotations = Annotation("my key") }, "pod_annotations.my key" },
        { "annotation key empty name", Valid() with { PodAnnotations = Annotation("example.com/") }, "pod_annotations.example.com/" },
        { "annotation bad prefix", Valid() with { PodAnnotations = Annotation("Example_Com/x") }, "pod_annotations.Example_Com/x" },
        { "annotation studio.io", Valid() with { PodAnnotations = Annotation("studio.io/workspace-name") }, "pod_annotations.studio.io/workspace-name" },
        { "annotation kubernetes.io", Valid() with { PodAnnotations = Annotation("kubernetes.io/psp") }, "pod_annotations.kubernetes.io/psp" },
        { "annotation k8s.io", Valid() with { PodAnnotations = Annotation("k8s.io/x") }, "pod_annotations.k8s.io/x" },
        { "annotation apparmor", Valid() with { PodAnnotations = Annotation("container.apparmor.security.beta.kubernetes.io/main", "unconfined") }, "pod_annotations.container.apparmor.security.beta.kubernetes.io/main" },
        { "annotation seccomp", Valid() with { PodAnnotations = Annotation("seccomp.security.alpha.kubernetes.io/pod", "unconfined") }, "pod_annotations.seccomp.security.alpha.kubernetes.io/pod" },
        { "annotation gang min-member", Valid() with { PodAnnotations = Annotation("scheduling.x-k8s.io/min-member", "1") }, "pod_annotations.scheduling.x-k8s.io/min-member" },
        { "annotation scheduling.*", Valid() with { PodAnnotations = Annotation("scheduling.example.com/queue") }, "pod_annotations.scheduling.example.com/queue" },
        { "annotation volcano group", Valid() with { PodAnnotations = Annotation("scheduling.k8s.io/group-name") }, "pod_annotations.scheduling.k8s.io/group-name" },
        { "annotations over 256 KiB", Valid() with { PodAnnotations = Annotation("example.com/big", new string('x', 300 * 1024)) }, "pod_annotations" },
    };

    private static Dictionary<string, string> Env(string name) => new() { [name] = "x" };

    private static Dictionary<string, string> Annotation(string key, string value = "v") => new() { [key] = value };

    [Theory]
    [InlineData("prometheus.io/scrape", true)]
    [InlineData("sidecar.istio.io/inject", true)]
    [InlineData("sidecar.istio.io/proxyCPU", false)]
    [InlineData("sandbox.studio/memory", true)]
    [InlineData("example.com/anything", false)]
    [InlineData("plain", false)]
    public void PodAnnotationKey_OnTheAllowList_IsAccepted_OthersAreRefused(string key, bool allowed) =>
        Assert.Equal(allowed, JobSpecRules.ValidatePodAnnotationKey(key, ["prometheus.io/*", "sidecar.istio.io/inject", "sandbox.studio/*"]) is null);

    [Fact]
    public void PodAnnotationKey_StarAllowsAnyKey_ButNeverAReservedOne()
    {
        Assert.Null(JobSpecRules.ValidatePodAnnotationKey("example.com/anything", ["*"]));
        Assert.Null(JobSpecRules.ValidatePodAnnotationKey("plain", ["*"]));
        Assert.NotNull(JobSpecRules.ValidatePodAnnotationKey("studio.io/job", ["*"]));
        Assert.NotNull(JobSpecRules.ValidatePodAnnotationKey("container.apparmor.security.beta.kubernetes.io/main", ["*", "container.apparmor.security.beta.kubernetes.io/main"]));
    }

    [Fact]
    public void Validate_WithAnAllowList_RefusesAnnotationsOffIt_WithoutOne_OnlyReservedAndMalformedKeys()
    {
        var spec = Valid() with { PodAnnotations = Annotation("example.com/x") };

        Assert.Empty(spec.Validate());
        Assert.Contains(JobSpecRules.Validate(spec, ["prometheus.io/*"]), e => e.Field == "pod_annotations.example.com/x");
    }

    [Fact]
    public void Validate_AtTheLimits_HasNoErrors()
    {
        var spec = Valid() with
        {
            Command = new string('x', JobSpecRules.MaxCommandBytes),
            EnvironmentVariables = new Dictionary<string, string> { ["NCCL_DEBUG"] = "INFO", ["my.dotted-name"] = "1", ["_X"] = new string('v', JobSpecRules.MaxEnvironmentValueBytes) },
            DisplayName = new string('d', 256),
            ExperimentName = "exp_1-" + new string('e', 249),
            Description = new string('d', JobSpecRules.MaxDescriptionLength),
            Tags = Enumerable.Range(0, JobSpecRules.MaxTags).ToDictionary(i => $"t{i}", _ => new string('v', 256)),
            PodAnnotations = Annotation("sandbox.studio/memory", "6Gi"),
        };

        Assert.Empty(spec.Validate());
    }

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
