using k8s;
using k8s.Models;

namespace Studio.Sandbox.Tests;

/// <summary>
/// Kubernetes' documented upgrade from client-side to server-side apply, with the real kubectl: <c>kubectl apply
/// --server-side</c> takes over the fields a client-side <c>kubectl apply</c> set, without a conflict.
/// </summary>
public sealed class KubectlApplyUpgradeTests(KubectlFixture kubectl) : IClassFixture<KubectlFixture>
{
    private const string ConfigMap = """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: settings, labels: {tier: "one"}}
        data: {mode: "one", keep: "same"}
        """;

    private async Task<string> NamespaceAsync()
    {
        var ns = "up-" + Guid.NewGuid().ToString("N")[..8];
        await kubectl.Client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = ns } }, cancellationToken: TestContext.Current.CancellationToken);
        return ns;
    }

    [Fact]
    public async Task ApplyServerSide_AfterClientSideApply_ChangingAField_TakesOwnershipWithoutConflict()
    {
        KubectlFixture.RequireKubectl();
        var ns = await NamespaceAsync();
        var file = kubectl.File_($"{ns}-cm.yaml", ConfigMap);
        await kubectl.OkAsync("apply", "-n", ns, "-f", file);

        kubectl.File_($"{ns}-cm.yaml", ConfigMap.Replace("mode: \"one\"", "mode: \"two\"", StringComparison.Ordinal));
        var upgraded = await kubectl.OkAsync("apply", "--server-side", "-n", ns, "-f", file);

        Assert.Contains("configmap/settings serverside-applied", upgraded, StringComparison.Ordinal);
        var cm = await kubectl.Client.CoreV1.ReadNamespacedConfigMapAsync("settings", ns, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal("two", cm.Data["mode"]);
        var apply = Assert.Single(cm.Metadata.ManagedFields, m => m.Manager == "kubectl" && m.Operation == "Apply");
        Assert.Contains("\"f:mode\"", apply.FieldsV1.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(cm.Metadata.ManagedFields, m => m.Manager == "kubectl-client-side-apply" && m.FieldsV1.ToString()!.Contains("\"f:mode\"", StringComparison.Ordinal));
        // The annotation follows what was applied, so a later client-side apply diffs against it.
        Assert.Contains("\"mode\":\"two\"", cm.Metadata.Annotations["kubectl.kubernetes.io/last-applied-configuration"], StringComparison.Ordinal);

        kubectl.File_($"{ns}-cm.yaml", ConfigMap.Replace("mode: \"one\"", "mode: \"three\"", StringComparison.Ordinal));
        Assert.Contains("configured", await kubectl.OkAsync("apply", "-n", ns, "-f", file), StringComparison.Ordinal);
        Assert.Equal("three", (await kubectl.Client.CoreV1.ReadNamespacedConfigMapAsync("settings", ns, cancellationToken: TestContext.Current.CancellationToken)).Data["mode"]);
    }

    [Fact]
    public async Task ApplyServerSide_AfterClientSideApply_StillConflictsOnAFieldAnotherManagerSet()
    {
        KubectlFixture.RequireKubectl();
        var ns = await NamespaceAsync();
        var file = kubectl.File_($"{ns}-cm.yaml", ConfigMap);
        await kubectl.OkAsync("apply", "-n", ns, "-f", file);
        await kubectl.OkAsync("label", "-n", ns, "configmap", "settings", "owner=ops");

        kubectl.File_($"{ns}-cm.yaml", ConfigMap.Replace("tier: \"one\"", "tier: \"one\", owner: \"ml\"", StringComparison.Ordinal));
        var (exit, _, error) = await kubectl.RunAsync("apply", "--server-side", "-n", ns, "-f", file);

        Assert.NotEqual(0, exit);
        Assert.Contains("conflict with \"kubectl-label\"", error, StringComparison.Ordinal);
        Assert.Equal("ops", (await kubectl.Client.CoreV1.ReadNamespacedConfigMapAsync("settings", ns, cancellationToken: TestContext.Current.CancellationToken)).Metadata.Labels["owner"]);
    }
}
