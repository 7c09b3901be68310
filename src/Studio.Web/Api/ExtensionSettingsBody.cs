using Studio.Infrastructure.Compute;

namespace Studio.Web.Api;

/// <summary>The extension settings a client sends to plan, install or update (Azure ML's key names).</summary>
public sealed record ExtensionSettingsBody(
    bool? EnableTraining,
    bool? EnableInference,
    InferenceRouterServiceType? InferenceRouterServiceType,
    bool? AllowInsecureConnections,
    string? SslCname,
    string? SslSecretName,
    Dictionary<string, string>? NodeSelector,
    bool? GpuDevicePluginExpected)
{
    public ExtensionSettings ToSettings()
    {
        var defaults = new ExtensionSettings();
        return new ExtensionSettings
        {
            EnableTraining = EnableTraining ?? defaults.EnableTraining,
            EnableInference = EnableInference ?? defaults.EnableInference,
            InferenceRouterServiceType = InferenceRouterServiceType ?? defaults.InferenceRouterServiceType,
            AllowInsecureConnections = AllowInsecureConnections ?? defaults.AllowInsecureConnections,
            SslCname = SslCname,
            SslSecretName = SslSecretName,
            NodeSelector = NodeSelector ?? [],
            GpuDevicePluginExpected = GpuDevicePluginExpected ?? defaults.GpuDevicePluginExpected,
        };
    }
}
