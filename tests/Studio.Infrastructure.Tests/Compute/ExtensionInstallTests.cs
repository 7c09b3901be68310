using System.Diagnostics;
using k8s;
using k8s.Models;
using Studio.Domain.Common;
using Studio.Domain.Workspaces;
using Studio.Infrastructure.Compute;
using Studio.Infrastructure.Tests.Clusters;

namespace Studio.Infrastructure.Tests.Compute;

public sealed class ExtensionInstallTests(SandboxClusterFixture fixture) : ComputeTestBase(fixture), IClassFixture<SandboxClusterFixture>
{
    [Fact]
    public async Task Install_CreatesExactlyThePlannedObjects()
    {
        var (name, _, client) = await NewClusterAsync();
        var before = await ObjectKeysAsync(client);

        var plan = (await Extension.PlanAsync(Admin, name, new ExtensionSettings(), Ct)).Value;
        Assert.All(plan.Changes, c => Assert.Equal(PlanAction.Create, c.Action));
        Assert.All(plan.Changes, c => Assert.Contains($"name: {c.Name}", c.Yaml, StringComparison.Ordinal));
        var status = await Extension.InstallAsync(Admin, name, new ExtensionSettings(), Ct);

        Assert.True(status.Value.Healthy, string.Join("; ", status.Value.Checks.Select(c => $"{c.Name}:{c.Status} {c.Detail}")));
        var created = (await ObjectKeysAsync(client)).Except(before).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(plan.Changes.Select(c => c.Namespace is null ? $"{c.Kind}/{c.Name}" : $"{c.Kind}/{c.Namespace}/{c.Name}").Order(StringComparer.Ordinal), created);
        Assert.Contains(plan.Changes, c => c.Kind == "CustomResourceDefinition" && c.Name == "instancetypes.amlarc.azureml.com" && c.Yaml.Contains("openAPIV3Schema", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Reinstall_WithSameSettings_IsANoOp()
    {
        var (name, _, client) = await InstalledClusterAsync();
        var before = await VersionsAsync(client);

        var plan = (await Extension.PlanAsync(Admin, name, new ExtensionSettings(), Ct)).Value;
        Assert.All(plan.Changes, c => Assert.Equal(PlanAction.Unchanged, c.Action));
        Assert.True((await Extension.InstallAsync(Admin, name, new ExtensionSettings(), Ct)).IsSuccess);

        Assert.Equal(before, await VersionsAsync(client));
    }

    [Fact]
    public async Task Plan_WithChangedSettings_ShowsTheConfigMapAsUpdatedAndTheRouterAsCreated()
    {
        var (name, _, _) = await InstalledClusterAsync();

        var plan = (await Extension.PlanAsync(Admin, name, new ExtensionSettings { EnableInference = true, InferenceRouterServiceType = InferenceRouterServiceType.NodePort }, Ct)).Value;

        Assert.Equal(PlanAction.Update, plan.Changes.Single(c => c.Kind == "ConfigMap").Action);
        Assert.Equal(PlanAction.Create, plan.Changes.Single(c => c.Kind == "Service").Action);
        Assert.Equal(PlanAction.Unchanged, plan.Changes.Single(c => c.Kind == "CustomResourceDefinition").Action);
    }

    [Fact]
    public async Task Install_InterruptedMidway_ThenRerun_Converges()
    {
        var (name, sandbox, client) = await NewClusterAsync();
        sandbox.FailNextRequests(403, 1, "clusterroles", "PATCH");

        var failed = await Extension.InstallAsync(Admin, name, new ExtensionSettings(), Ct);

        Assert.Equal("install_failed", Assert.Single(failed.Errors).Code);
        Assert.Contains("ClusterRole/studio-extension", failed.Errors[0].Message, StringComparison.Ordinal);
        Assert.NotNull(await client.ApiextensionsV1.ReadCustomResourceDefinitionAsync("instancetypes.amlarc.azureml.com", cancellationToken: Ct));
        var again = await Extension.InstallAsync(Admin, name, new ExtensionSettings(), Ct);
        Assert.True(again.Value.Healthy);
        Assert.All((await Extension.PlanAsync(Admin, name, new ExtensionSettings(), Ct)).Value.Changes, c => Assert.Equal(PlanAction.Unchanged, c.Action));
    }

    [Fact]
    public async Task Health_AfterTheCrdIsDeleted_FailsTheCrdCheckWithAFixHint()
    {
        var (name, _, client) = await InstalledClusterAsync();
        await client.ApiextensionsV1.DeleteCustomResourceDefinitionAsync("instancetypes.amlarc.azureml.com", cancellationToken: Ct);

        var status = (await Extension.StatusAsync(name, Ct)).Value;

        var crd = status.Checks.Single(c => c.Name == "crd");
        Assert.Equal(CheckStatus.Fail, crd.Status);
        Assert.Contains("missing", crd.Detail, StringComparison.Ordinal);
        Assert.NotNull(crd.FixHint);
        Assert.False(status.Healthy);
    }

    [Fact]
    public async Task Health_GpuExpectedButNoNodeExposesNvidiaGpu_FailsTheGpuCheck()
    {
        var (name, _, client) = await NewClusterAsync(seedNodes: false);
        await client.CoreV1.CreateNodeAsync(new V1Node { Metadata = new V1ObjectMeta { Name = "cpu-1" }, Status = new V1NodeStatus { Allocatable = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("4"), ["memory"] = new("16Gi") } } }, cancellationToken: Ct);

        var status = (await Extension.InstallAsync(Admin, name, new ExtensionSettings { GpuDevicePluginExpected = true }, Ct)).Value;

        var gpu = status.Checks.Single(c => c.Name == "gpu");
        Assert.Equal(CheckStatus.Fail, gpu.Status);
        Assert.Contains("nvidia.com/gpu", gpu.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Install_InvalidSettings_AreFieldErrors()
    {
        var (name, _, _) = await NewClusterAsync();

        var result = await Extension.InstallAsync(Admin, name, new ExtensionSettings { EnableInference = true, AllowInsecureConnections = false, NodeSelector = new Dictionary<string, string> { ["bad key!"] = "x" } }, Ct);

        Assert.Equal(["nodeSelector", "sslCname", "sslSecretName"], result.Errors.Select(e => e.Field).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Install_ByDataScientist_IsForbidden()
    {
        var result = await Extension.InstallAsync(new Actor("ds", "DS", WorkspaceRole.DataScientist), "whatever", new ExtensionSettings(), Ct);

        Assert.Equal(ErrorKind.Forbidden, Assert.Single(result.Errors).Kind);
    }

    [Fact]
    public async Task Kubectl_SeesTheCrd_AndListsTheDefaultInstanceType()
    {
        var (_, sandbox, _) = await InstalledClusterAsync();
        var dir = Directory.CreateTempSubdirectory("studio-kubectl-");
        var kubeconfig = Path.Combine(dir.FullName, "config");
        await File.WriteAllTextAsync(kubeconfig, sandbox.CreateKubeconfigYaml(), Ct);

        var crd = await KubectlAsync(kubeconfig, dir.FullName, "get", "crd", "instancetypes.amlarc.azureml.com");
        var types = await KubectlAsync(kubeconfig, dir.FullName, "get", "instancetypes");

        Assert.Contains("instancetypes.amlarc.azureml.com", crd, StringComparison.Ordinal);
        Assert.Contains("defaultinstancetype", types, StringComparison.Ordinal);
    }

    private static async Task<string> KubectlAsync(string kubeconfig, string cacheDir, params string[] args)
    {
        var start = new ProcessStartInfo("/usr/bin/kubectl") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "--kubeconfig", kubeconfig, "--cache-dir", Path.Combine(cacheDir, "cache") }.Concat(args))
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync(Ct);
        var error = await process.StandardError.ReadToEndAsync(Ct);
        await process.WaitForExitAsync(Ct);
        Assert.True(process.ExitCode == 0, $"kubectl {string.Join(' ', args)} failed: {error}");
        return output;
    }

    private static async Task<HashSet<string>> ObjectKeysAsync(IKubernetes client)
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        keys.UnionWith((await client.CoreV1.ListNamespaceAsync(cancellationToken: Ct)).Items.Select(n => $"Namespace/{n.Metadata.Name}"));
        keys.UnionWith((await client.ApiextensionsV1.ListCustomResourceDefinitionAsync(cancellationToken: Ct)).Items.Select(n => $"CustomResourceDefinition/{n.Metadata.Name}"));
        keys.UnionWith((await client.CoreV1.ListServiceAccountForAllNamespacesAsync(cancellationToken: Ct)).Items
            .Where(n => n.Metadata.Name != "default") // every namespace's 'default' account comes from the cluster's controller, not from Studio
            .Select(n => $"ServiceAccount/{n.Metadata.NamespaceProperty}/{n.Metadata.Name}"));
        keys.UnionWith((await client.RbacAuthorizationV1.ListClusterRoleAsync(cancellationToken: Ct)).Items.Select(n => $"ClusterRole/{n.Metadata.Name}"));
        keys.UnionWith((await client.RbacAuthorizationV1.ListClusterRoleBindingAsync(cancellationToken: Ct)).Items.Select(n => $"ClusterRoleBinding/{n.Metadata.Name}"));
        keys.UnionWith((await client.CoreV1.ListConfigMapForAllNamespacesAsync(cancellationToken: Ct)).Items.Select(n => $"ConfigMap/{n.Metadata.NamespaceProperty}/{n.Metadata.Name}"));
        keys.UnionWith((await client.CoreV1.ListServiceForAllNamespacesAsync(cancellationToken: Ct)).Items.Select(n => $"Service/{n.Metadata.NamespaceProperty}/{n.Metadata.Name}"));
        try
        {
            var list = (System.Text.Json.JsonElement)await client.CustomObjects.ListClusterCustomObjectAsync("amlarc.azureml.com", "v1alpha1", "instancetypes", cancellationToken: Ct);
            keys.UnionWith(list.GetProperty("items").EnumerateArray().Select(i => $"InstanceType/{i.GetProperty("metadata").GetProperty("name").GetString()}"));
        }
        catch (k8s.Autorest.HttpOperationException)
        {
            // No CRD yet.
        }

        return keys;
    }

    private static async Task<Dictionary<string, string>> VersionsAsync(IKubernetes client)
    {
        var versions = new Dictionary<string, string>(StringComparer.Ordinal);
        versions["crd"] = (await client.ApiextensionsV1.ReadCustomResourceDefinitionAsync("instancetypes.amlarc.azureml.com", cancellationToken: Ct)).Metadata.ResourceVersion;
        versions["cm"] = (await client.CoreV1.ReadNamespacedConfigMapAsync("studio-extension-settings", "studio-system", cancellationToken: Ct)).Metadata.ResourceVersion;
        versions["cr"] = (await client.RbacAuthorizationV1.ReadClusterRoleAsync("studio-extension", cancellationToken: Ct)).Metadata.ResourceVersion;
        versions["crb"] = (await client.RbacAuthorizationV1.ReadClusterRoleBindingAsync("studio-extension", cancellationToken: Ct)).Metadata.ResourceVersion;
        versions["ns"] = (await client.CoreV1.ReadNamespaceAsync("studio-system", cancellationToken: Ct)).Metadata.ResourceVersion;
        var it = (System.Text.Json.JsonElement)await client.CustomObjects.GetClusterCustomObjectAsync("amlarc.azureml.com", "v1alpha1", "instancetypes", "defaultinstancetype", Ct);
        versions["it"] = it.GetProperty("metadata").GetProperty("resourceVersion").GetString()!;
        return versions;
    }
}
