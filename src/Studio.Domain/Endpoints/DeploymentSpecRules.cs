using System.Text.RegularExpressions;
using Studio.Domain.Clusters;
using Studio.Domain.Common;
using Studio.Domain.InstanceTypes;
using Studio.Domain.Jobs;

namespace Studio.Domain.Endpoints;

/// <summary>
/// The rules of a Kubernetes online deployment (§1.5, §4.3). Errors name the field by its CLI v2 YAML path
/// (<c>scale_settings.max_instances</c>, <c>liveness_probe.timeout</c>, <c>resources.limits.memory</c>).
/// </summary>
public static partial class DeploymentSpecRules
{
    public const int MaxInstances = 100;

    /// <summary>The smallest memory request Azure ML accepts (§1.5: "memory must be ≥ 1 MB").</summary>
    public const long MinMemoryBytes = 1_000_000;

    [GeneratedRegex(@"^[-._a-zA-Z][-._a-zA-Z0-9]*$")]
    private static partial Regex EnvName();

    public static IReadOnlyList<Error> Validate(OnlineDeploymentSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var errors = new List<Error>();
        Add(errors, "name", EndpointNames.Validate(spec.Name, "A deployment name"));
        Add(errors, "endpoint_name", EndpointNames.Validate(spec.EndpointName, "An endpoint name"));
        if (spec.Model is { Reference: null, Path: null } || spec.Model is { Reference: { } r, Path: { } } && r.Length > 0)
        {
            errors.Add(Error.Validation("model", "Give the model as a registered version (azureml:NAME:VERSION) or as a folder (model: {path: ./model}), one of the two."));
        }

        if (spec.CodeConfiguration is { } code)
        {
            Add(errors, "code_configuration.code", string.IsNullOrWhiteSpace(code.Code) ? "Give the folder of the scoring script (code: ./onlinescoring)." : null);
            Add(errors, "code_configuration.scoring_script", string.IsNullOrWhiteSpace(code.ScoringScript) ? "Give the scoring script (scoring_script: score.py) with init() and run()." : null);
        }

        if (string.IsNullOrWhiteSpace(spec.Environment) && string.IsNullOrWhiteSpace(spec.Image))
        {
            errors.Add(Error.Validation("environment", "A deployment needs an environment: a registered one (azureml:NAME:VERSION) or an image (environment: {image: ...})."));
        }
        else if (spec.Image is { } image && JobSpecRules.ValidateImage(image) is { } bad)
        {
            errors.Add(Error.Validation("environment.image", bad));
        }

        ValidateScale(spec, errors);
        ValidateRequests(spec.RequestSettings, errors);
        ValidateProbe(spec.LivenessProbe, "liveness_probe", errors);
        ValidateProbe(spec.ReadinessProbe, "readiness_probe", errors);
        foreach (var name in spec.EnvironmentVariables.Keys.Where(k => !EnvName().IsMatch(k)))
        {
            errors.Add(Error.Validation($"environment_variables.{name}", $"'{name}' is not a valid environment variable name (letters, digits, '_', '-', '.'; not starting with a digit)."));
        }

        if (spec.Resources is { } resources)
        {
            ValidateResourceShape(resources, errors);
        }

        return errors;
    }

    /// <summary>
    /// The deployment's <c>resources</c> against its instance type (§1.5): limits (or, without limits, requests) no larger
    /// than the instance type's limits, requests no larger than limits. Errors name <c>resources.requests.cpu</c> etc.
    /// </summary>
    public static IReadOnlyList<Error> ValidateResources(DeploymentResources? resources, InstanceType instanceType)
    {
        ArgumentNullException.ThrowIfNull(instanceType);
        var errors = new List<Error>();
        if (resources is null)
        {
            return errors;
        }

        var requests = OwnRequests(resources);
        var limits = OwnLimits(resources, instanceType);
        var it = instanceType.Limits;
        Over(errors, "resources.limits.cpu", resources.LimitCpu, limits.CpuMillis, it.CpuMillis, instanceType.LimitCpu, instanceType.Name);
        Over(errors, "resources.limits.memory", resources.LimitMemory, limits.MemoryBytes, it.MemoryBytes, instanceType.LimitMemory, instanceType.Name);
        Over(errors, "resources.limits.nvidia.com/gpu", resources.LimitGpu, limits.Gpus, it.Gpus, it.Gpus.ToString(System.Globalization.CultureInfo.InvariantCulture), instanceType.Name);
        if (requests.CpuMillis > limits.CpuMillis)
        {
            errors.Add(Error.Unprocessable("requests_over_limits", "resources.requests.cpu", $"Resource requests greater than limits: cpu {resources.RequestCpu} is more than the limit {resources.LimitCpu ?? instanceType.LimitCpu}."));
        }

        if (requests.MemoryBytes > limits.MemoryBytes)
        {
            errors.Add(Error.Unprocessable("requests_over_limits", "resources.requests.memory", $"Resource requests greater than limits: memory {resources.RequestMemory} is more than the limit {resources.LimitMemory ?? instanceType.LimitMemory}."));
        }

        return errors;
    }

    /// <summary>One replica's requests: the deployment's own, else the instance type's.</summary>
    public static ResourceAmounts Requests(DeploymentResources? resources, InstanceType instanceType) =>
        resources is null ? instanceType.Requests with { Gpus = 0 } : OwnRequests(resources);

    /// <summary>One replica's limits: the deployment's own where given, else the instance type's (§1.5: Azure ML fills missing limits).</summary>
    public static ResourceAmounts Limits(DeploymentResources? resources, InstanceType instanceType) =>
        resources is null ? instanceType.Limits : OwnLimits(resources, instanceType);

    private static ResourceAmounts OwnRequests(DeploymentResources r) =>
        new(Quantity.Parse(r.RequestCpu, out _)?.CeilingMillis ?? 0, Quantity.Parse(r.RequestMemory, out _)?.CeilingUnits ?? 0, 0);

    private static ResourceAmounts OwnLimits(DeploymentResources r, InstanceType it) => new(
        r.LimitCpu is null ? it.Limits.CpuMillis : Quantity.Parse(r.LimitCpu, out _)?.CeilingMillis ?? 0,
        r.LimitMemory is null ? it.Limits.MemoryBytes : Quantity.Parse(r.LimitMemory, out _)?.CeilingUnits ?? 0,
        r.LimitGpu is null ? it.Limits.Gpus : Quantity.Parse(r.LimitGpu, out _)?.CeilingUnits ?? 0);

    private static void Over(List<Error> errors, string field, string? written, long value, long max, string maxText, string instanceType)
    {
        if (written is not null && value > max)
        {
            errors.Add(Error.Unprocessable("resources_over_instance_type", field, $"{written} is more than the instance type '{instanceType}' allows ({maxText}); lower it or pick a larger instance type."));
        }
    }

    private static void ValidateScale(OnlineDeploymentSpec spec, List<Error> errors)
    {
        var scale = spec.ScaleSettings;
        if (scale.Type == ScaleType.Default)
        {
            if (spec.InstanceCount is < 0 or > MaxInstances)
            {
                errors.Add(Error.Validation("instance_count", $"instance_count is between 0 and {MaxInstances}."));
            }

            return;
        }

        if (scale.MinInstances is < 0 or > MaxInstances)
        {
            errors.Add(Error.Validation("scale_settings.min_instances", $"min_instances is between 0 and {MaxInstances}."));
        }

        if (scale.MaxInstances < 1 || scale.MaxInstances > MaxInstances || scale.MaxInstances < scale.MinInstances)
        {
            errors.Add(Error.Validation("scale_settings.max_instances", $"max_instances is at least 1, at least min_instances ({scale.MinInstances}) and at most {MaxInstances}."));
        }

        if (scale.TargetUtilizationPercentage is < 1 or > 100)
        {
            errors.Add(Error.Validation("scale_settings.target_utilization_percentage", "target_utilization_percentage is between 1 and 100."));
        }

        if (scale.PollingIntervalSeconds is < 1 or > 3600)
        {
            errors.Add(Error.Validation("scale_settings.polling_interval", "polling_interval is between 1 and 3600 seconds."));
        }
    }

    private static void ValidateRequests(RequestSettings settings, List<Error> errors)
    {
        if (settings.RequestTimeoutMs is < 1 or > RequestSettings.MaxRequestTimeoutMs)
        {
            errors.Add(Error.Validation("request_settings.request_timeout_ms", $"request_timeout_ms is between 1 and {RequestSettings.MaxRequestTimeoutMs} (150 s)."));
        }

        if (settings.MaxConcurrentRequestsPerInstance is < 1 or > 1000)
        {
            errors.Add(Error.Validation("request_settings.max_concurrent_requests_per_instance", "max_concurrent_requests_per_instance is between 1 and 1000 (Azure ML advises 1)."));
        }

        if (settings.MaxQueueWaitMs is < 0 or > 3_600_000)
        {
            errors.Add(Error.Validation("request_settings.max_queue_wait_ms", "max_queue_wait_ms is between 0 and 3600000 (one hour)."));
        }
    }

    private static void ValidateProbe(ProbeSettings probe, string path, List<Error> errors)
    {
        Add(errors, $"{path}.period", probe.PeriodSeconds < 1 ? "period is at least 1 second." : null);
        Add(errors, $"{path}.initial_delay", probe.InitialDelaySeconds < 0 ? "initial_delay is 0 or more seconds." : null);
        Add(errors, $"{path}.success_threshold", probe.SuccessThreshold < 1 ? "success_threshold is at least 1." : null);
        Add(errors, $"{path}.failure_threshold", probe.FailureThreshold < 1 ? "failure_threshold is at least 1." : null);
        if (probe.TimeoutSeconds < 1)
        {
            errors.Add(Error.Validation($"{path}.timeout", "timeout is at least 1 second."));
        }
        else if (probe.TimeoutSeconds > probe.PeriodSeconds && probe.PeriodSeconds >= 1)
        {
            errors.Add(Error.Validation($"{path}.timeout", $"The probe's timeout ({probe.TimeoutSeconds} s) is longer than its period ({probe.PeriodSeconds} s); a probe must answer before the next one starts."));
        }
    }

    private static void ValidateResourceShape(DeploymentResources r, List<Error> errors)
    {
        CheckQuantity("resources.requests.cpu", r.RequestCpu, required: true, errors, q => q.Value <= 0 ? "The cpu request is more than zero." : null);
        CheckQuantity("resources.requests.memory", r.RequestMemory, required: true, errors, q => q.Value < MinMemoryBytes ? "The memory request is at least 1 MB (e.g. 0.1Gi, 200Mi)." : null);
        CheckQuantity("resources.limits.cpu", r.LimitCpu, required: false, errors, q => q.Value <= 0 ? "The cpu limit is more than zero." : null);
        CheckQuantity("resources.limits.memory", r.LimitMemory, required: false, errors, q => q.Value < MinMemoryBytes ? "The memory limit is at least 1 MB." : null);
        CheckQuantity("resources.limits.nvidia.com/gpu", r.LimitGpu, required: false, errors, q => !q.IsInteger || q.Value < 0 ? "nvidia.com/gpu is a whole number of GPUs." : null);
    }

    private static void CheckQuantity(string field, string? text, bool required, List<Error> errors, Func<Quantity, string?> rule)
    {
        if (text is null)
        {
            Add(errors, field, required ? $"{field} is required when a deployment sets its own resources (§1.5)." : null);
            return;
        }

        var q = InstanceTypes.Quantity.Parse(text, out var error);
        Add(errors, field, q is null ? $"'{text}' {error} (a quantity such as 0.5, 500m, 1Gi)." : rule(q.Value));
    }

    private static void Add(List<Error> errors, string field, string? message)
    {
        if (message is not null)
        {
            errors.Add(Error.Validation(field, message));
        }
    }
}
