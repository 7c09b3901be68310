using System.Globalization;
using Studio.Domain.Clusters;
using Studio.Domain.Common;

namespace Studio.Infrastructure.Compute;

/// <summary>The settings of Azure ML's extension that apply to Studio (reference §2.2).</summary>
public sealed record ExtensionSettings
{
    public bool EnableTraining { get; init; } = true;

    public bool EnableInference { get; init; }

    public InferenceRouterServiceType InferenceRouterServiceType { get; init; } = InferenceRouterServiceType.ClusterIP;

    public bool AllowInsecureConnections { get; init; } = true;

    /// <summary>The CNAME the router's TLS certificate is issued for; required for inference without insecure connections.</summary>
    public string? SslCname { get; init; }

    /// <summary>Name of a kubernetes.io/tls Secret in studio-system holding the router's certificate and key.</summary>
    public string? SslSecretName { get; init; }

    /// <summary>Extension-wide nodeSelector for Studio's own components.</summary>
    public IReadOnlyDictionary<string, string> NodeSelector { get; init; } = new Dictionary<string, string>();

    /// <summary>Whether GPU nodes are expected to expose <c>nvidia.com/gpu</c> (Azure ML's installNvidiaDevicePlugin).</summary>
    public bool GpuDevicePluginExpected { get; init; }

    public IReadOnlyList<Error> Validate()
    {
        var errors = new List<Error>();
        if (!EnableTraining && !EnableInference)
        {
            errors.Add(Error.Validation("enableTraining", "Enable training, inference or both."));
        }

        if (!Enum.IsDefined(InferenceRouterServiceType))
        {
            errors.Add(Error.Validation("inferenceRouterServiceType", "Choose LoadBalancer, NodePort or ClusterIP."));
        }

        if (EnableInference && !AllowInsecureConnections)
        {
            if (string.IsNullOrWhiteSpace(SslCname))
            {
                errors.Add(Error.Validation("sslCname", "With insecure connections off, inference needs the CNAME the TLS certificate is issued for."));
            }
            else if (Dns1123.ValidateSubdomain(SslCname) is { } cnameError)
            {
                errors.Add(Error.Validation("sslCname", $"The CNAME {cnameError}."));
            }

            if (string.IsNullOrWhiteSpace(SslSecretName))
            {
                errors.Add(Error.Validation("sslSecretName", "With insecure connections off, inference needs a TLS Secret (kubernetes.io/tls) in studio-system."));
            }
        }

        foreach (var (key, value) in NodeSelector)
        {
            if ((LabelRules.ValidateKey(key) ?? LabelRules.ValidateValue(value)) is { } labelError)
            {
                errors.Add(Error.Validation("nodeSelector", labelError));
            }
        }

        return errors;
    }

    /// <summary>The settings as the ConfigMap's data (Azure ML's key names).</summary>
    public Dictionary<string, string> ToData()
    {
        var data = new Dictionary<string, string>
        {
            ["enableTraining"] = Bool(EnableTraining),
            ["enableInference"] = Bool(EnableInference),
            ["inferenceRouterServiceType"] = InferenceRouterServiceType.ToString(),
            ["allowInsecureConnections"] = Bool(AllowInsecureConnections),
            ["installNvidiaDevicePlugin"] = Bool(GpuDevicePluginExpected),
            ["nodeSelector"] = string.Join(",", NodeSelector.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}")),
        };
        if (!string.IsNullOrWhiteSpace(SslCname))
        {
            data["sslCname"] = SslCname.Trim();
        }

        if (!string.IsNullOrWhiteSpace(SslSecretName))
        {
            data["sslSecretName"] = SslSecretName.Trim();
        }

        return data;
    }

    /// <summary>
    /// The settings as Azure ML's extension (<c>Microsoft.AzureML.Kubernetes</c>) takes them in
    /// <c>Microsoft.KubernetesConfiguration/extensions</c> configurationSettings (reference §2.2).
    /// </summary>
    public Dictionary<string, string> ToArmConfigurationSettings()
    {
        var settings = new Dictionary<string, string>
        {
            ["enableTraining"] = Bool(EnableTraining),
            ["enableInference"] = Bool(EnableInference),
            ["installNvidiaDevicePlugin"] = Bool(GpuDevicePluginExpected),
        };
        if (EnableInference)
        {
            settings["inferenceRouterServiceType"] = InferenceRouterServiceType switch
            {
                InferenceRouterServiceType.LoadBalancer => "loadBalancer",
                InferenceRouterServiceType.NodePort => "nodePort",
                _ => "clusterIP",
            };
            settings["allowInsecureConnections"] = Bool(AllowInsecureConnections);
            if (!string.IsNullOrWhiteSpace(SslCname))
            {
                settings["sslCname"] = SslCname.Trim();
            }
        }

        foreach (var (key, value) in NodeSelector)
        {
            settings[$"nodeSelector.{key}"] = value;
        }

        return settings;
    }

    /// <summary>Azure ML's update rules that going from <paramref name="installed"/> to these settings breaks (reference §2.2).</summary>
    public IReadOnlyList<string> UpdateWarnings(ExtensionSettings? installed)
    {
        if (installed is null)
        {
            return [];
        }

        var warnings = new List<string>();
        if (installed.EnableTraining && !EnableTraining)
        {
            warnings.Add("Turning training off stops running training jobs from being managed; do it only when no job runs.");
        }

        if (installed.GpuDevicePluginExpected && !GpuDevicePluginExpected)
        {
            warnings.Add("Turning the GPU device plugin expectation off while GPU workloads run is not supported by Azure ML's extension.");
        }

        if (!installed.NodeSelector.OrderBy(p => p.Key, StringComparer.Ordinal).SequenceEqual(NodeSelector.OrderBy(p => p.Key, StringComparer.Ordinal)))
        {
            warnings.Add("Changing the extension-wide nodeSelector while workloads run is not supported; entries cannot be removed by an update in Azure ML.");
        }

        if (installed.EnableInference && (installed.AllowInsecureConnections != AllowInsecureConnections || installed.InferenceRouterServiceType != InferenceRouterServiceType))
        {
            warnings.Add("Changing insecure connections or the router service type while endpoints are live breaks their scoring URIs.");
        }

        return warnings;
    }

    /// <summary>Reads settings back from the ConfigMap; null when a value is not understood.</summary>
    public static ExtensionSettings? FromData(IDictionary<string, string>? data)
    {
        if (data is null)
        {
            return null;
        }

        static bool? ReadBool(IDictionary<string, string> d, string key) =>
            d.TryGetValue(key, out var v) && bool.TryParse(v, out var b) ? b : null;

        var training = ReadBool(data, "enableTraining");
        var inference = ReadBool(data, "enableInference");
        var insecure = ReadBool(data, "allowInsecureConnections");
        var gpu = ReadBool(data, "installNvidiaDevicePlugin");
        if (training is null || inference is null || insecure is null || gpu is null
            || !data.TryGetValue("inferenceRouterServiceType", out var type) || !Enum.TryParse<InferenceRouterServiceType>(type, out var routerType))
        {
            return null;
        }

        var selector = new Dictionary<string, string>();
        if (data.TryGetValue("nodeSelector", out var raw) && !string.IsNullOrWhiteSpace(raw))
        {
            foreach (var pair in raw.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var eq = pair.IndexOf('=', StringComparison.Ordinal);
                if (eq <= 0)
                {
                    return null;
                }

                selector[pair[..eq]] = pair[(eq + 1)..];
            }
        }

        return new ExtensionSettings
        {
            EnableTraining = training.Value,
            EnableInference = inference.Value,
            AllowInsecureConnections = insecure.Value,
            GpuDevicePluginExpected = gpu.Value,
            InferenceRouterServiceType = routerType,
            NodeSelector = selector,
            SslCname = data.TryGetValue("sslCname", out var cname) ? cname : null,
            SslSecretName = data.TryGetValue("sslSecretName", out var secret) ? secret : null,
        };
    }

    private static string Bool(bool value) => value.ToString(CultureInfo.InvariantCulture);
}
