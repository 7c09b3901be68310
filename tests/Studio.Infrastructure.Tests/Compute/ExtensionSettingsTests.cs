using Studio.Infrastructure.Compute;

namespace Studio.Infrastructure.Tests.Compute;

public sealed class ExtensionSettingsTests
{
    [Fact]
    public void ConfigMapData_RoundTrips()
    {
        var settings = new ExtensionSettings { EnableInference = true, InferenceRouterServiceType = InferenceRouterServiceType.NodePort, AllowInsecureConnections = false, SslCname = "ml.example.com", SslSecretName = "tls", GpuDevicePluginExpected = true, NodeSelector = new Dictionary<string, string> { ["pool"] = "system" } };

        var back = ExtensionSettings.FromData(settings.ToData())!;

        Assert.Equal((true, InferenceRouterServiceType.NodePort, false, "ml.example.com", "tls", true), (back.EnableInference, back.InferenceRouterServiceType, back.AllowInsecureConnections, back.SslCname, back.SslSecretName, back.GpuDevicePluginExpected));
        Assert.Equal("system", back.NodeSelector["pool"]);
    }

    [Fact]
    public void ArmConfigurationSettings_UseAzureMlKeyNames()
    {
        var arm = new ExtensionSettings { EnableInference = true, InferenceRouterServiceType = InferenceRouterServiceType.LoadBalancer, NodeSelector = new Dictionary<string, string> { ["pool"] = "ml" } }.ToArmConfigurationSettings();

        Assert.Equal("True", arm["enableTraining"]);
        Assert.Equal("loadBalancer", arm["inferenceRouterServiceType"]);
        Assert.Equal("True", arm["allowInsecureConnections"]);
        Assert.Equal("ml", arm["nodeSelector.pool"]);
        Assert.Equal("False", arm["installNvidiaDevicePlugin"]);
    }

    [Fact]
    public void UpdateWarnings_FollowAzureMlUpdateRules()
    {
        var installed = new ExtensionSettings { EnableInference = true, GpuDevicePluginExpected = true };

        var warnings = new ExtensionSettings { EnableTraining = false, EnableInference = true, InferenceRouterServiceType = InferenceRouterServiceType.NodePort, NodeSelector = new Dictionary<string, string> { ["a"] = "b" } }.UpdateWarnings(installed);

        Assert.Equal(4, warnings.Count);
        Assert.Empty(installed.UpdateWarnings(installed));
        Assert.Empty(installed.UpdateWarnings(null));
    }
}
