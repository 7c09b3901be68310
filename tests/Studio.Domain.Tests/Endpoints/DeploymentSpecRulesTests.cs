using Studio.Domain.Clusters;
using Studio.Domain.Endpoints;
using Studio.Domain.InstanceTypes;

namespace Studio.Domain.Tests.Endpoints;

public sealed class DeploymentSpecRulesTests
{
    private static readonly OnlineDeploymentSpec Valid = new()
    {
        Name = "blue",
        EndpointName = "my-endpoint",
        Model = new DeploymentModel("azureml:sklearn:1"),
        CodeConfiguration = new CodeConfiguration("./onlinescoring", "score.py"),
        Image = "mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04:20240701",
    };

    private static readonly InstanceType Small = new("small", new Dictionary<string, string>(), new ResourceAmounts(500, 1L << 30, 0), new ResourceAmounts(1000, 2L << 30, 0))
    {
        LimitCpu = "1",
        LimitMemory = "2Gi",
    };

    [Fact]
    public void Defaults_AreAzureMls()
    {
        Assert.Equal(new ScaleSettings(ScaleType.Default, 1, 1, 70, 1), Valid.ScaleSettings);
        Assert.Equal(new RequestSettings(5000, 1, 500), Valid.RequestSettings);
        Assert.Equal(new ProbeSettings(10, 10, 2, 1, 30), Valid.LivenessProbe);
        Assert.Equal(new ProbeSettings(10, 10, 2, 1, 30), Valid.ReadinessProbe);
        Assert.Equal(1, Valid.InstanceCount);
        Assert.Empty(Valid.Validate());
    }

    public static TheoryData<string, string> Invalid() => new()
    {
        { "name:b", "name" },
        { "name:Blue", "name" },
        { "name:1blue", "name" },
        { "name:a-very-long-deployment-name-over-32", "name" },
        { "endpoint:my_endpoint", "endpoint_name" },
        { "model:both", "model" },
        { "image:Not An Image", "environment.image" },
        { "environment:none", "environment" },
        { "instance_count:-1", "instance_count" },
        { "scale:min>max", "scale_settings.max_instances" },
        { "scale:target0", "scale_settings.target_utilization_percentage" },
        { "scale:polling0", "scale_settings.polling_interval" },
        { "request:timeout", "request_settings.request_timeout_ms" },
        { "request:concurrency0", "request_settings.max_concurrent_requests_per_instance" },
        { "liveness:timeout>period", "liveness_probe.timeout" },
        { "readiness:timeout>period", "readiness_probe.timeout" },
        { "readiness:failure0", "readiness_probe.failure_threshold" },
        { "env:1BAD", "environment_variables.1BAD" },
        { "resources:no-request", "resources.requests.memory" },
        { "resources:zero-cpu", "resources.requests.cpu" },
        { "resources:tiny-memory", "resources.requests.memory" },
        { "resources:half-gpu", "resources.limits.nvidia.com/gpu" },
        { "resources:garbage", "resources.limits.cpu" },
        { "code:no-script", "code_configuration.scoring_script" },
    };

    private static OnlineDeploymentSpec Break(string how) => how switch
    {
        "name:b" => Valid with { Name = "b" },
        "name:Blue" => Valid with { Name = "Blue" },
        "name:1blue" => Valid with { Name = "1blue" },
        "name:a-very-long-deployment-name-over-32" => Valid with { Name = "a-very-long-deployment-name-over-32" },
        "endpoint:my_endpoint" => Valid with { EndpointName = "my_endpoint" },
        "model:both" => Valid with { Model = new DeploymentModel("azureml:m:1", "./model") },
        "image:Not An Image" => Valid with { Image = "Not An Image" },
        "environment:none" => Valid with { Image = null },
        "instance_count:-1" => Valid with { InstanceCount = -1 },
        "scale:min>max" => Valid with { ScaleSettings = new ScaleSettings(ScaleType.TargetUtilization, 3, 2) },
        "scale:target0" => Valid with { ScaleSettings = new ScaleSettings(ScaleType.TargetUtilization, TargetUtilizationPercentage: 0) },
        "scale:polling0" => Valid with { ScaleSettings = new ScaleSettings(ScaleType.TargetUtilization, PollingIntervalSeconds: 0) },
        "request:timeout" => Valid with { RequestSettings = new RequestSettings(RequestTimeoutMs: 200_000) },
        "request:concurrency0" => Valid with { RequestSettings = new RequestSettings(MaxConcurrentRequestsPerInstance: 0) },
        "liveness:timeout>period" => Valid with { LivenessProbe = new ProbeSettings(PeriodSeconds: 5, TimeoutSeconds: 6) },
        "readiness:timeout>period" => Valid with { ReadinessProbe = new ProbeSettings(PeriodSeconds: 1, TimeoutSeconds: 2) },
        "readiness:failure0" => Valid with { ReadinessProbe = new ProbeSettings(FailureThreshold: 0) },
        "env:1BAD" => Valid with { EnvironmentVariables = new Dictionary<string, string> { ["1BAD"] = "x" } },
        "resources:no-request" => Valid with { Resources = new DeploymentResources("0.5", null) },
        "resources:zero-cpu" => Valid with { Resources = new DeploymentResources("0", "1Gi") },
        "resources:tiny-memory" => Valid with { Resources = new DeploymentResources("0.5", "1Ki") },
        "resources:half-gpu" => Valid with { Resources = new DeploymentResources("0.5", "1Gi", LimitGpu: "0.5") },
        "resources:garbage" => Valid with { Resources = new DeploymentResources("0.5", "1Gi", LimitCpu: "lots") },
        "code:no-script" => Valid with { CodeConfiguration = new CodeConfiguration("./src", " ") },
        _ => throw new ArgumentOutOfRangeException(nameof(how)),
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void InvalidSpec_FailsNamingItsYamlPath(string how, string field)
    {
        var errors = Break(how).Validate();

        Assert.Contains(errors, e => e.Field == field);
        Assert.All(errors, e => Assert.False(string.IsNullOrWhiteSpace(e.Message)));
    }

    [Fact]
    public void ProbeTimeoutLongerThanPeriod_SaysBoth()
    {
        var error = Assert.Single(Break("liveness:timeout>period").Validate());

        Assert.Equal("The probe's timeout (6 s) is longer than its period (5 s); a probe must answer before the next one starts.", error.Message);
    }

    [Theory]
    [InlineData("0.5", "1Gi", null, null, null, null)]
    [InlineData("0.5", "1Gi", "1", "2Gi", null, null)]
    [InlineData("0.5", "1Gi", "2", null, null, "resources.limits.cpu")]
    [InlineData("0.5", "1Gi", null, "3Gi", null, "resources.limits.memory")]
    [InlineData("0.5", "1Gi", null, null, "1", "resources.limits.nvidia.com/gpu")]
    [InlineData("1.5", "1Gi", null, null, null, "resources.requests.cpu")]
    [InlineData("0.5", "1Gi", "0.2", null, null, "resources.requests.cpu")]
    [InlineData("0.5", "3Gi", null, null, null, "resources.requests.memory")]
    public void Resources_AreCheckedAgainstTheInstanceType(string requestCpu, string requestMemory, string? limitCpu, string? limitMemory, string? gpu, string? field)
    {
        var errors = DeploymentSpecRules.ValidateResources(new DeploymentResources(requestCpu, requestMemory, limitCpu, limitMemory, gpu), Small);

        if (field is null)
        {
            Assert.Empty(errors);
        }
        else
        {
            var error = Assert.Single(errors);
            Assert.Equal(field, error.Field);
            Assert.True(error.IsUnprocessable);
        }
    }

    [Fact]
    public void WithoutOwnResources_TheInstanceTypesAreUsed()
    {
        Assert.Empty(DeploymentSpecRules.ValidateResources(null, Small));
        Assert.Equal(new ResourceAmounts(500, 1L << 30, 0), DeploymentSpecRules.Requests(null, Small));
        Assert.Equal(Small.Limits, DeploymentSpecRules.Limits(null, Small));
        Assert.Equal(new ResourceAmounts(1000, 2L << 30, 0), DeploymentSpecRules.Limits(new DeploymentResources("0.1", "100Mi"), Small));
    }

    [Fact]
    public void TargetUtilization_StartsWithMinInstances()
    {
        var spec = Valid with { InstanceCount = 5, ScaleSettings = new ScaleSettings(ScaleType.TargetUtilization, 2, 4) };

        Assert.Equal(2, spec.InitialReplicas);
    }
}
