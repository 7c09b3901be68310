using Studio.Domain.AzureMl;
using Studio.Domain.Common;
using Studio.Domain.Workspaces;

namespace Studio.Domain.Endpoints;

/// <summary>
/// Imports an Azure ML CLI v2 Kubernetes online endpoint (<c>kubernetesOnlineEndpoint.schema.json</c>, §4.2). Files of
/// another kind are refused with what they are and where they go (<see cref="AzureMlFiles"/>); keys Studio does not
/// keep are listed with why; errors name their path.
/// </summary>
public static class OnlineEndpointYaml
{
    public static Result<EndpointImport> Import(string? yaml)
    {
        var loaded = YamlFields.Load(yaml, "a Kubernetes online endpoint (name, compute, auth_mode)");
        if (!loaded.IsSuccess)
        {
            return Result<EndpointImport>.Failure(loaded.Errors);
        }

        if (AzureMlFiles.Refuse(AzureMlFiles.Recognise(loaded.Value), "a Kubernetes online endpoint", AzureMlFileKind.KubernetesOnlineEndpoint) is { } elsewhere)
        {
            return elsewhere;
        }

        var f = new YamlFields();
        string? name = null, compute = null, description = null;
        var auth = EndpointAuthMode.Key;
        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in f.Entries(loaded.Value, null))
        {
            switch (key)
            {
                case "$schema":
                    break;
                case "name":
                    name = f.Scalar(value, key);
                    break;
                case "compute":
                    compute = f.Scalar(value, key) is { } c && !string.IsNullOrWhiteSpace(c) ? ComputeTargetName.Parse(c) : null;
                    break;
                case "auth_mode":
                    auth = AuthMode(f, f.Scalar(value, key)) ?? auth;
                    break;
                case "description":
                    description = f.Scalar(value, key);
                    break;
                case "tags":
                    tags = f.Strings(value, key);
                    break;
                case "traffic" or "mirror_traffic":
                    f.Ignore(key, "Traffic cannot be set when an endpoint is created (as in Azure ML); set it once its deployments exist (PUT .../endpoints/{endpoint}/traffic).");
                    break;
                case "identity":
                    f.Ignore(key, "Endpoint identities are not supported: deployments run with the compute target's identity.");
                    break;
                case "public_network_access" or "kind":
                    f.Ignore(key, "For managed (Azure-hosted) endpoints only; ignored on Kubernetes.");
                    break;
                case "provisioning_state" or "scoring_uri" or "openapi_uri" or "id":
                    f.Ignore(key, "Read-only field of an existing endpoint; ignored on import.");
                    break;
                default:
                    f.Ignore(key, $"'{key}' is not a Kubernetes online endpoint key Studio supports; it is ignored.");
                    break;
            }
        }

        if (compute is null && !f.Errors.Any(e => e.Field == "compute"))
        {
            f.Errors.Add(Error.Validation("compute", "An online endpoint on Kubernetes needs a compute target (compute: azureml:<compute target>)."));
        }

        if (f.Errors.Count > 0)
        {
            return Result<EndpointImport>.Failure(f.Errors);
        }

        var spec = new OnlineEndpointSpec { Name = name ?? string.Empty, Compute = compute!, AuthMode = auth, Description = description, Tags = tags };
        return new EndpointImport(spec, f.Issues);
    }

    /// <summary>Reads <c>auth_mode</c> (any case): <c>key</c> or <c>aml_token</c>; <c>aad_token</c> and others are errors.</summary>
    public static EndpointAuthMode? AuthMode(YamlFields fields, string? text)
    {
        ArgumentNullException.ThrowIfNull(fields);
        switch (text?.Trim().ToLowerInvariant())
        {
            case null or "" or "key":
                return EndpointAuthMode.Key;
            case "aml_token":
                return EndpointAuthMode.AmlToken;
            case "aad_token":
                fields.Errors.Add(Error.Validation("auth_mode", "aad_token (Microsoft Entra tokens) is not supported on Studio endpoints; use key or aml_token."));
                return null;
            default:
                fields.Errors.Add(Error.Validation("auth_mode", $"auth_mode '{text}' is not known; use key or aml_token."));
                return null;
        }
    }
}
