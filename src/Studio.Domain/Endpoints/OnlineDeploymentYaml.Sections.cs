using Studio.Domain.Artifacts;
using Studio.Domain.AzureMl;
using Studio.Domain.Common;
using YamlDotNet.RepresentationModel;

namespace Studio.Domain.Endpoints;

public static partial class OnlineDeploymentYaml
{
    private static DeploymentModel? ReadModel(YamlFields f, YamlNode value)
    {
        if (value is YamlScalarNode)
        {
            var text = f.Scalar(value, "model");
            if (string.IsNullOrWhiteSpace(text))
            {
                return null;
            }

            var reference = AssetReference.Parse(text, "model");
            if (!reference.IsSuccess)
            {
                f.Errors.AddRange(reference.Errors);
                return null;
            }

            if (reference.Value.Registry is not null)
            {
                f.Errors.Add(Error.Validation("model", "Registry models are not supported on Kubernetes online endpoints (as in Azure ML): register the model in the workspace and use azureml:NAME:VERSION."));
                return null;
            }

            return new DeploymentModel(reference.Value.ToString());
        }

        string? path = null, name = null, version = null;
        foreach (var (key, v) in f.Entries(value, "model"))
        {
            switch (key)
            {
                case "path":
                    path = f.Scalar(v, "model.path");
                    break;
                case "name":
                    name = f.Scalar(v, "model.name");
                    break;
                case "version":
                    version = f.Scalar(v, "model.version");
                    break;
                default:
                    f.Ignore($"model.{key}", $"model.{key} is not kept; a deployment's model is a registered version or a folder (path).");
                    break;
            }
        }

        if (path is null)
        {
            f.Errors.Add(Error.Validation("model.path", "An inline model needs its folder (model: {path: ./model})."));
            return null;
        }

        if (name is not null || version is not null)
        {
            f.Ignore("model.name", "An inline model is uploaded with the deployment; register it on the Models page to give it a name and version.");
        }

        return new DeploymentModel(null, path);
    }

    private static CodeConfiguration? ReadCode(YamlFields f, YamlNode value)
    {
        string? code = null, script = null;
        foreach (var (key, v) in f.Entries(value, "code_configuration"))
        {
            switch (key)
            {
                case "code":
                    code = f.Scalar(v, "code_configuration.code");
                    break;
                case "scoring_script":
                    script = f.Scalar(v, "code_configuration.scoring_script");
                    break;
                default:
                    f.Ignore($"code_configuration.{key}", $"code_configuration.{key} is not a key Studio supports; it is ignored.");
                    break;
            }
        }

        return new CodeConfiguration(code ?? string.Empty, script ?? string.Empty);
    }

    private static (string? Environment, string? Image, string? Conda) ReadEnvironment(YamlFields f, YamlNode value)
    {
        if (value is YamlScalarNode)
        {
            var text = f.Scalar(value, "environment");
            if (string.IsNullOrWhiteSpace(text))
            {
                return (null, null, null);
            }

            var reference = AssetReference.Parse(text, "environment", bareNameIsLatest: true);
            if (!reference.IsSuccess)
            {
                f.Errors.AddRange(reference.Errors);
                return (null, null, null);
            }

            return (reference.Value.Registry is null ? reference.Value.ToShortString() : reference.Value.ToString(), null, null);
        }

        string? image = null, conda = null;
        foreach (var (key, v) in f.Entries(value, "environment"))
        {
            switch (key)
            {
                case "image":
                    image = f.Scalar(v, "environment.image");
                    break;
                case "conda_file":
                    conda = f.Scalar(v, "environment.conda_file");
                    break;
                case "build":
                    f.Errors.Add(Error.Validation("environment.build", "A deployment's environment is an image or a registered environment; register a build context on the Environments page and use azureml:NAME:VERSION."));
                    break;
                default:
                    f.Ignore($"environment.{key}", $"environment.{key} is not kept on an inline environment; it is ignored.");
                    break;
            }
        }

        if (image is null && !f.Errors.Any(e => e.Field?.StartsWith("environment", StringComparison.Ordinal) == true))
        {
            f.Errors.Add(Error.Validation("environment.image", "An inline environment needs an image (environment: {image: ..., conda_file: ...})."));
        }

        return (null, image, conda);
    }

    private static ScaleSettings ReadScale(YamlFields f, YamlNode value)
    {
        var scale = ScaleSettings.Default;
        foreach (var (key, v) in f.Entries(value, "scale_settings"))
        {
            var path = $"scale_settings.{key}";
            scale = key switch
            {
                "type" => f.Scalar(v, path)?.Trim().ToLowerInvariant() switch
                {
                    null or "default" => scale with { Type = ScaleType.Default },
                    "target_utilization" => scale with { Type = ScaleType.TargetUtilization },
                    var other => Bad(f, path, $"scale_settings.type '{other}' is not known; use default or target_utilization.", scale),
                },
                "min_instances" => scale with { MinInstances = f.Integer(v, path) ?? scale.MinInstances },
                "max_instances" => scale with { MaxInstances = f.Integer(v, path) ?? scale.MaxInstances },
                "target_utilization_percentage" => scale with { TargetUtilizationPercentage = f.Integer(v, path) ?? scale.TargetUtilizationPercentage },
                "polling_interval" => scale with { PollingIntervalSeconds = f.Integer(v, path) ?? scale.PollingIntervalSeconds },
                _ => Unknown(f, path, scale),
            };
        }

        return scale;
    }

    private static RequestSettings ReadRequests(YamlFields f, YamlNode value)
    {
        var settings = RequestSettings.Default;
        foreach (var (key, v) in f.Entries(value, "request_settings"))
        {
            var path = $"request_settings.{key}";
            settings = key switch
            {
                "request_timeout_ms" => settings with { RequestTimeoutMs = f.Integer(v, path) ?? settings.RequestTimeoutMs },
                "max_concurrent_requests_per_instance" => settings with { MaxConcurrentRequestsPerInstance = f.Integer(v, path) ?? settings.MaxConcurrentRequestsPerInstance },
                "max_queue_wait_ms" => settings with { MaxQueueWaitMs = f.Integer(v, path) ?? settings.MaxQueueWaitMs },
                _ => Unknown(f, path, settings),
            };
        }

        return settings;
    }

    private static ProbeSettings ReadProbe(YamlFields f, YamlNode value, string at)
    {
        var probe = ProbeSettings.Default;
        foreach (var (key, v) in f.Entries(value, at))
        {
            var path = $"{at}.{key}";
            probe = key switch
            {
                "period" => probe with { PeriodSeconds = f.Integer(v, path) ?? probe.PeriodSeconds },
                "initial_delay" => probe with { InitialDelaySeconds = f.Integer(v, path) ?? probe.InitialDelaySeconds },
                "timeout" => probe with { TimeoutSeconds = f.Integer(v, path) ?? probe.TimeoutSeconds },
                "success_threshold" => probe with { SuccessThreshold = f.Integer(v, path) ?? probe.SuccessThreshold },
                "failure_threshold" => probe with { FailureThreshold = f.Integer(v, path) ?? probe.FailureThreshold },
                _ => Unknown(f, path, probe),
            };
        }

        return probe;
    }

    private static DeploymentResources ReadResources(YamlFields f, YamlNode value)
    {
        var resources = new DeploymentResources(null, null);
        foreach (var (section, node) in f.Entries(value, "resources"))
        {
            if (section is not ("requests" or "limits"))
            {
                f.Ignore($"resources.{section}", "resources has requests and limits only; this key is ignored.");
                continue;
            }

            foreach (var (key, v) in f.Entries(node, $"resources.{section}"))
            {
                var path = $"resources.{section}.{key}";
                var text = f.Scalar(v, path);
                resources = (section, key) switch
                {
                    ("requests", "cpu") => resources with { RequestCpu = text },
                    ("requests", "memory") => resources with { RequestMemory = text },
                    ("limits", "cpu") => resources with { LimitCpu = text },
                    ("limits", "memory") => resources with { LimitMemory = text },
                    ("limits", "nvidia.com/gpu") => resources with { LimitGpu = text },
                    ("requests", "nvidia.com/gpu") => Bad(f, path, "nvidia.com/gpu goes in resources.limits only (§1.5).", resources),
                    _ => Unknown(f, path, resources),
                };
            }
        }

        return resources;
    }

    private static T Bad<T>(YamlFields f, string path, string message, T unchanged)
    {
        f.Errors.Add(Error.Validation(path, message));
        return unchanged;
    }

    private static T Unknown<T>(YamlFields f, string path, T unchanged)
    {
        f.Ignore(path, $"{path} is not a key Studio supports; it is ignored.");
        return unchanged;
    }
}
