using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Studio.Sandbox.Tests;

public sealed class DeletionTests(SandboxFixture sandbox)
{
    private async Task<(V1ConfigMap Owner, string Ns)> OwnerWithPodsAsync(int dependents, IList<string>? dependentFinalizers = null)
    {
        var ns = await sandbox.NewNamespaceAsync();
        var owner = await sandbox.Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "owner" } }, ns);
        for (var i = 0; i < dependents; i++)
        {
            var pod = Pods.New($"dep-{i}");
            pod.Metadata.Finalizers = dependentFinalizers;
            pod.Metadata.OwnerReferences = [new V1OwnerReference { ApiVersion = "v1", Kind = "ConfigMap", Name = "owner", Uid = owner.Metadata.Uid, BlockOwnerDeletion = true }];
            await sandbox.Client.CoreV1.CreateNamespacedPodAsync(pod, ns);
        }

        return (owner, ns);
    }

    private async Task<bool> ExistsAsync(Func<Task> read)
    {
        try
        {
            await read();
            return true;
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    [Fact]
    public async Task Delete_ObjectWithFinalizer_IsTerminatingUntilFinalizerRemoved()
    {
        var ns = await sandbox.NewNamespaceAsync();
        var client = sandbox.Client;
        await client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "held", Finalizers = ["example.com/hold"] } }, ns);

        await client.CoreV1.DeleteNamespacedConfigMapAsync("held", ns);
        var terminating = await client.CoreV1.ReadNamespacedConfigMapAsync("held", ns);
        Assert.NotNull(terminating.Metadata.DeletionTimestamp);

        var e = await Assert.ThrowsAsync<HttpOperationException>(() => client.CoreV1.PatchNamespacedConfigMapAsync(
            new V1Patch("""{"metadata":{"finalizers":["example.com/hold","example.com/new"]}}""", V1Patch.PatchType.MergePatch), "held", ns));
        Assert.Equal((HttpStatusCode)422, e.Response.StatusCode);

        await client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("""{"metadata":{"finalizers":null}}""", V1Patch.PatchType.MergePatch), "held", ns);
        Assert.False(await ExistsAsync(() => client.CoreV1.ReadNamespacedConfigMapAsync("held", ns)));
    }

    [Fact]
    public async Task Delete_Background_RemovesDependents()
    {
        var (_, ns) = await OwnerWithPodsAsync(3);
        await sandbox.Client.CoreV1.DeleteNamespacedConfigMapAsync("owner", ns, body: new V1DeleteOptions { PropagationPolicy = "Background" });
        Assert.Empty((await sandbox.Client.CoreV1.ListNamespacedPodAsync(ns)).Items);
    }

    [Fact]
    public async Task Delete_Orphan_KeepsDependentsWithoutOwnerReference()
    {
        var (_, ns) = await OwnerWithPodsAsync(2);
        await sandbox.Client.CoreV1.DeleteNamespacedConfigMapAsync("owner", ns, body: new V1DeleteOptions { PropagationPolicy = "Orphan" });
        var pods = (await sandbox.Client.CoreV1.ListNamespacedPodAsync(ns)).Items;
        Assert.Equal(2, pods.Count);
        Assert.All(pods, p => Assert.Null(p.Metadata.OwnerReferences));
    }

    [Fact]
    public async Task Delete_Foreground_OwnerWaitsForDependentsToGo()
    {
        var (_, ns) = await OwnerWithPodsAsync(1, ["example.com/slow"]);
        var client = sandbox.Client;
        await client.CoreV1.DeleteNamespacedConfigMapAsync("owner", ns, body: new V1DeleteOptions { PropagationPolicy = "Foreground" });

        var owner = await client.CoreV1.ReadNamespacedConfigMapAsync("owner", ns);
        Assert.Contains("foregroundDeletion", owner.Metadata.Finalizers);
        Assert.NotNull((await client.CoreV1.ReadNamespacedPodAsync("dep-0", ns)).Metadata.DeletionTimestamp);

        await client.CoreV1.PatchNamespacedPodAsync(new V1Patch("""{"metadata":{"finalizers":null}}""", V1Patch.PatchType.MergePatch), "dep-0", ns);
        Assert.False(await ExistsAsync(() => client.CoreV1.ReadNamespacedPodAsync("dep-0", ns)));
        Assert.False(await ExistsAsync(() => client.CoreV1.ReadNamespacedConfigMapAsync("owner", ns)));
    }

    [Fact]
    public async Task Delete_Preconditions_MismatchedUidIsConflict()
    {
        var ns = await sandbox.NewNamespaceAsync();
        await sandbox.Client.CoreV1.CreateNamespacedPodAsync(Pods.New("p"), ns);
        var e = await Assert.ThrowsAsync<HttpOperationException>(() => sandbox.Client.CoreV1.DeleteNamespacedPodAsync("p", ns,
            body: new V1DeleteOptions { Preconditions = new V1Preconditions { Uid = "not-the-uid" } }));
        Assert.Equal(HttpStatusCode.Conflict, e.Response.StatusCode);
    }

    [Fact]
    public async Task NamespaceDelete_StaysTerminatingUntilEmpty_AndRefusesNewContent()
    {
        var ns = await sandbox.NewNamespaceAsync();
        var client = sandbox.Client;
        await client.CoreV1.CreateNamespacedPodAsync(Pods.New("plain"), ns);
        await client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "held", Finalizers = ["example.com/hold"] } }, ns);

        await client.CoreV1.DeleteNamespaceAsync(ns);
        var terminating = await client.CoreV1.ReadNamespaceAsync(ns);
        Assert.Equal("Terminating", terminating.Status.Phase);
        Assert.Empty((await client.CoreV1.ListNamespacedPodAsync(ns)).Items);

        var e = await Assert.ThrowsAsync<HttpOperationException>(() => client.CoreV1.CreateNamespacedPodAsync(Pods.New("late"), ns));
        Assert.Equal(HttpStatusCode.Forbidden, e.Response.StatusCode);
        Assert.Contains("because it is being terminated", e.Response.Content, StringComparison.Ordinal);

        await client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("""{"metadata":{"finalizers":null}}""", V1Patch.PatchType.MergePatch), "held", ns);
        Assert.False(await ExistsAsync(() => client.CoreV1.ReadNamespaceAsync(ns)));
    }

    [Fact]
    public async Task NewNamespace_GetsDefaultServiceAccount()
    {
        var ns = await sandbox.NewNamespaceAsync();
        var sa = await sandbox.Client.CoreV1.ReadNamespacedServiceAccountAsync("default", ns);
        Assert.Equal("default", sa.Metadata.Name);
    }

    [Fact]
    public async Task GracefulPodDeletion_ScheduledPodWaitsForKubeletsFinalDelete()
    {
        await using var server = await SandboxServer.StartAsync(new SandboxOptions { SeedNodes = false, Simulate = false });
        server.Cluster.Service.GracefulPodDeletion = true;
        using var client = SandboxFixture.CreateClient(server);
        var pod = Pods.New("bound");
        pod.Spec.NodeName = "node-1";
        await client.CoreV1.CreateNamespacedPodAsync(pod, "default");

        await client.CoreV1.DeleteNamespacedPodAsync("bound", "default");
        var terminating = await client.CoreV1.ReadNamespacedPodAsync("bound", "default");
        Assert.Equal(30, terminating.Metadata.DeletionGracePeriodSeconds);

        await client.CoreV1.DeleteNamespacedPodAsync("bound", "default", gracePeriodSeconds: 0);
        Assert.False(await ExistsAsync(() => client.CoreV1.ReadNamespacedPodAsync("bound", "default")));
    }
}
