using Studio.Domain.AzureMl;
using Studio.Domain.Common;

namespace Studio.Domain.Endpoints;

/// <summary>
/// Imports an Azure ML CLI v2 Kubernetes online deployment (<c>kubernetesOnlineDeployment.schema.json</c>, §4.3). A
/// managed (Azure-hosted) deployment and files of other kinds are refused with what they are and what to change
/// (<see cref="AzureMlFiles"/>); keys Studio does not keep are listed with why; errors name their path.
/// </summary>
public static partial class OnlineDeploymentYaml
{
    public static Result<DeploymentImport> Import(string? yaml)
    {
        var loaded = YamlFields.Load(yaml, "a Kubernetes online deployment (name, endpoint_name, model, environment...)");
        if (!loaded.IsSuccess)
        {
            return Result<DeploymentImport>.Failure(loaded.Errors);
        }

        if (AzureMlFiles.Refuse(AzureMlFiles.Recognise(loaded.Value), "a Kubernetes online deployment", AzureMlFileKind.KubernetesOnlineDeployment) is { } elsewhere)
        {
            return elsewhere;
        }

        var f = new YamlFields();
        var spec = new OnlineDeploymentSpec { Name = string.Empty, EndpointName = string.Empty };
        foreach (var (key, value) in f.Entries(loaded.Value, null))
        {
            spec = Read(f, spec, key, value);
        }

        if (spec.Environment is null && spec.Image is null && !f.Errors.Any(e => e.Field?.StartsWith("environment", StringComparison.Ordinal) == true))
        {
            f.Errors.Add(Error.Validation("environment", "A deployment needs an environment: azureml:NAME:VERSION, or an image (environment: {image: ...})."));
        }

        return f.Errors.Count > 0 ? Result<DeploymentImport>.Failure(f.Errors) : new DeploymentImport(spec, f.Issues);
    }

    private static OnlineDeploymentSpec Read(YamlFields f, OnlineDeploymentSpec spec, string key, YamlDotNet.RepresentationModel.YamlNode value)
    {
        switch (key)
        {
            case "$schema":
                return spec;
            case "type":
                var type = f.Scalar(value, key);
                if (type is not null && !string.Equals(type, "kubernetes", StringComparison.OrdinalIgnoreCase))
                {
                    f.Errors.Add(Error.Unprocessable(AzureMlFiles.WrongKind, key, string.Equals(type, "managed", StringComparison.OrdinalIgnoreCase)
                        ? "This is a managed (Azure-hosted) deployment; set type: kubernetes, and create it on an endpoint with a Kubernetes compute."
                        : $"Deployment type '{type}' is not known; Studio deploys type: kubernetes."));
                }

                return spec;
            case "name":
                return spec with { Name = f.Scalar(value, key) ?? string.Empty };
            case "endpoint_name":
                return spec with { EndpointName = f.Scalar(value, key) ?? string.Empty };
            case "description":
                return spec with { Description = f.Scalar(value, key) };
            case "tags":
                return spec with { Tags = f.Strings(value, key) };
            case "model":
                return spec with { Model = ReadModel(f, value) };
            case "code_configuration":
                return spec with { CodeConfiguration = ReadCode(f, value) };
            case "environment":
                var (environment, image, conda) = ReadEnvironment(f, value);
                return spec with { Environment = environment, Image = image, CondaFile = conda };
            case "environment_variables":
                return spec with { EnvironmentVariables = f.Strings(value, key) };
            case "instance_type":
                return spec with { InstanceType = f.Scalar(value, key) };
            case "instance_count":
                return spec with { InstanceCount = f.Integer(value, key) ?? spec.InstanceCount };
            case "app_insights_enabled":
                return spec with { AppInsightsEnabled = f.Boolean(value, key) ?? false };
            case "scale_settings":
                return spec with { ScaleSettings = ReadScale(f, value) };
            case "request_settings":
                return spec with { RequestSettings = ReadRequests(f, value) };
            case "liveness_probe":
                return spec with { LivenessProbe = ReadProbe(f, value, key) };
            case "readiness_probe":
                return spec with { ReadinessProbe = ReadProbe(f, value, key) };
            case "resources":
                return spec with { Resources = ReadResources(f, value) };
            case "model_mount_path":
                f.Ignore(key, "Custom containers are not supported yet; the model is mounted where the inference server expects it (AZUREML_MODEL_DIR).");
                return spec;
            case "data_collector":
                f.Ignore(key, "Data collection is not supported on Studio deployments; it is ignored.");
                return spec;
            case "egress_public_network_access" or "private_network_connection":
                f.Ignore(key, "For managed (Azure-hosted) deployments only; ignored on Kubernetes.");
                return spec;
            case "properties":
                f.Ignore(key, "Deployment properties are not kept; use tags for metadata.");
                return spec;
            case "provisioning_state" or "id":
                f.Ignore(key, "Read-only field of an existing deployment; ignored on import.");
                return spec;
            default:
                f.Ignore(key, $"'{key}' is not a Kubernetes online deployment key Studio supports; it is ignored.");
                return spec;
        }
    }
}
