using System.Net;
using k8s;
using k8s.Models;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Studio.Domain.Clusters;
using Studio.Domain.Common;
using Studio.Domain.Workspaces;
using Studio.Infrastructure.Clusters;
using Studio.Infrastructure.Kubernetes;
using Studio.Infrastructure.Kubernetes.Inventory;
using Studio.Infrastructure.Persistence;

namespace Studio.Infrastructure.Tests.Clusters;

public sealed class ClusterRegistrationTests(SandboxClusterFixture fixture) : IClassFixture<SandboxClusterFixture>
{
    private static readonly Actor Admin = new("admin", "Admin", WorkspaceRole.Administrator);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private ClusterService Clusters => fixture.Services.GetRequiredService<ClusterService>();

    private async Task<ClusterSummary> RegisterSandboxAsync(string name)
    {
        var result = await Clusters.RegisterAsync(Admin, new RegisterClusterRequest(name, null, fixture.Sandbox.CreateKubeconfigYaml(), null), Ct);
        Assert.True(result.IsSuccess, string.Join("; ", result.Errors.Select(e => e.Message)));
        return result.Value;
    }

    [Fact]
    public async Task Register_ByKubeconfig_StoresCredentialsEncryptedAndNeverInClearText()
    {
        var cluster = await RegisterSandboxAsync("reg-encrypted");

        await using var db = fixture.Services.GetRequiredService<IDbContextFactory<StudioDbContext>>().CreateDbContext();
        var stored = await db.ClusterCredentials.SingleAsync(c => c.ClusterId == cluster.Id, Ct);
        Assert.DoesNotContain(SandboxServerToken, stored.ProtectedKubeconfig, StringComparison.Ordinal);
        Assert.DoesNotContain("server:", stored.ProtectedKubeconfig, StringComparison.Ordinal);
        Assert.Contains(SandboxServerToken, await fixture.Services.GetRequiredService<ClusterCredentialStore>().ReadAsync(cluster.Id, Ct), StringComparison.Ordinal);
        Assert.True(await db.DataProtectionKeys.AnyAsync(Ct), "The Data Protection key ring lives in the studio database.");
    }

    private static string SandboxServerToken => Studio.Sandbox.SandboxServer.DevToken;

    [Fact]
    public async Task Register_WithTakenName_IsAConflictOnName()
    {
        await RegisterSandboxAsync("reg-twice");

        var again = await Clusters.RegisterAsync(Admin, new RegisterClusterRequest("reg-twice", null, fixture.Sandbox.CreateKubeconfigYaml(), null), Ct);

        Assert.Equal(("cluster_exists", "name"), (Assert.Single(again.Errors).Code, again.Errors[0].Field));
    }

    [Fact]
    public async Task Check_OfAnApiServerRegisteredUnderAnotherName_NamesThatCluster()
    {
        await RegisterSandboxAsync("reg-same-server");

        var report = (await Clusters.CheckAsync(fixture.Sandbox.CreateKubeconfigYaml(), null, Ct)).Value;

        Assert.Contains("reg-same-server", report.AlreadyRegisteredAs);
    }

    [Theory]
    [InlineData("https://k8s.example.com:6443", "https://K8S.example.com:6443/", true)]
    [InlineData("https://k8s.example.com", "https://k8s.example.com:443", true)]
    [InlineData("https://k8s.example.com:6443", "https://k8s.example.com:6444", false)]
    [InlineData("https://proxy.example.com/clusters/a", "https://proxy.example.com/clusters/b", false)]
    public void SameServer_ComparesSchemeHostPortAndPath(string a, string b, bool same) =>
        Assert.Equal(same, ClusterService.SameServer(a, b));

    [Fact]
    public async Task Register_ByNonAdministrator_IsForbidden()
    {
        var result = await Clusters.RegisterAsync(new Actor("rob", "Rob", WorkspaceRole.DataScientist), new RegisterClusterRequest("nope", null, fixture.Sandbox.CreateKubeconfigYaml(), null), Ct);

        Assert.Equal(ErrorKind.Forbidden, Assert.Single(result.Errors).Kind);
    }

    [Fact]
    public async Task Check_SandboxWithAccessReviews_ReportsVersionAndPermissions()
    {
        var report = (await Clusters.CheckAsync(fixture.Sandbox.CreateKubeconfigYaml(), null, Ct)).Value;

        Assert.True(report.Connected, report.Problem);
        Assert.StartsWith("v1.", report.ServerVersion, StringComparison.Ordinal);
        Assert.Equal(ConnectionChecker.Needs.Count, report.Permissions.Count);
    }

    [Fact]
    public async Task Check_UnreachableServer_SaysUnreachableAndSavesNothing()
    {
        var port = FreePort();
        var kubeconfig = fixture.Sandbox.CreateKubeconfigYaml().Replace(fixture.Sandbox.BaseAddress.ToString().TrimEnd('/'), $"http://127.0.0.1:{port}", StringComparison.Ordinal);

        var result = await Clusters.RegisterAsync(Admin, new RegisterClusterRequest("unreachable", null, kubeconfig, null), Ct);

        var error = Assert.Single(result.Errors);
        Assert.Contains("Unreachable", error.Message, StringComparison.Ordinal);
        Assert.Contains("refused the connection", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(await Clusters.ListAsync(Ct), c => c.Name == "unreachable");
    }

    [Fact]
    public async Task Check_ServerAnswering401_SaysCredentialsWereRejected()
    {
        await using var app = await StartUnauthorizedServerAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var kubeconfig = fixture.Sandbox.CreateKubeconfigYaml().Replace(fixture.Sandbox.BaseAddress.ToString().TrimEnd('/'), address.TrimEnd('/'), StringComparison.Ordinal);

        var report = (await Clusters.CheckAsync(kubeconfig, null, Ct)).Value;

        Assert.False(report.Connected);
        Assert.Contains("401 Unauthorized", report.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Inventory_AfterRegister_MatchesTheSandboxTopology()
    {
        var cluster = await RegisterSandboxAsync("inv-topology");
        using var lease = (await fixture.Services.GetRequiredService<InventoryRegistry>().AcquireAsync(cluster.Id, Ct)).Value;
        await lease.Inventory.FirstSync.WaitAsync(TimeSpan.FromSeconds(30), Ct);

        using var client = new k8s.Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(fixture.Sandbox.CreateKubeconfigYaml()))));
        var nodes = await client.CoreV1.ListNodeAsync(cancellationToken: Ct);
        var snapshot = ClusterSnapshot.From(lease.Inventory);
        Assert.Equal(ClusterConnectionState.Connected, snapshot.State);
        Assert.Equal(nodes.Items.Count, snapshot.Nodes);
        Assert.Equal(nodes.Items.Sum(n => n.Status.Allocatable.TryGetValue("nvidia.com/gpu", out var g) ? g.ToInt64() : 0), snapshot.Allocatable.Gpus);
        Assert.Equal(nodes.Items.Select(n => n.Metadata.Labels["agentpool"]).Distinct().Order(), snapshot.Pools.Select(p => p.Name));
        Assert.Contains("default", lease.Inventory.Namespaces.Snapshot());
    }

    [Fact]
    public async Task Inventory_PodBoundToNode_CountsItsRequestsLive()
    {
        var cluster = await RegisterSandboxAsync("inv-pods");
        using var lease = (await fixture.Services.GetRequiredService<InventoryRegistry>().AcquireAsync(cluster.Id, Ct)).Value;
        await lease.Inventory.FirstSync.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        using var client = SandboxClient();
        var gpuNode = (await client.CoreV1.ListNodeAsync(cancellationToken: Ct)).Items.First(n => n.Status.Allocatable.ContainsKey("nvidia.com/gpu"));
        var changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lease.Inventory.Changed += () =>
        {
            if (lease.Inventory.Capacity().Single(c => c.Node == gpuNode.Metadata.Name).Requested.Gpus == 1)
            {
                changed.TrySetResult();
            }
        };

        await client.CoreV1.CreateNamespacedPodAsync(
            new V1Pod
            {
                Metadata = new V1ObjectMeta { Name = "trainer-" + Guid.NewGuid().ToString("N")[..6] },
                Spec = new V1PodSpec
                {
                    NodeName = gpuNode.Metadata.Name,
                    Containers = [new V1Container { Name = "main", Image = "pytorch", Resources = new V1ResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("500m"), ["memory"] = new("1Gi") }, Limits = new Dictionary<string, ResourceQuantity> { ["nvidia.com/gpu"] = new("1") } } }],
                },
            },
            "default",
            cancellationToken: Ct);

        await changed.Task.WaitAsync(TimeSpan.FromSeconds(5), Ct);
        var node = lease.Inventory.Capacity().Single(c => c.Node == gpuNode.Metadata.Name);
        Assert.Equal(new ResourceAmounts(500, 1024L * 1024 * 1024, 1), node.Requested);
    }

    [Fact]
    public async Task Inventory_NodeMadeNotReady_ShowsUpLive()
    {
        var cluster = await RegisterSandboxAsync("inv-notready");
        using var lease = (await fixture.Services.GetRequiredService<InventoryRegistry>().AcquireAsync(cluster.Id, Ct)).Value;
        await lease.Inventory.FirstSync.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        using var client = SandboxClient();
        var victim = (await client.CoreV1.ListNodeAsync(cancellationToken: Ct)).Items.Last().Metadata.Name;
        var changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lease.Inventory.Changed += () =>
        {
            if (lease.Inventory.Nodes.TryGet(victim, out var n) && n is { Ready: false })
            {
                changed.TrySetResult();
            }
        };

        var patch = """{"status":{"conditions":[{"type":"Ready","status":"False","reason":"KubeletNotReady","message":"simulated"}]}}""";
        await client.CoreV1.PatchNodeStatusAsync(new V1Patch(patch, V1Patch.PatchType.StrategicMergePatch), victim, cancellationToken: Ct);

        await changed.Task.WaitAsync(TimeSpan.FromSeconds(5), Ct);
        var snapshot = ClusterSnapshot.From(lease.Inventory);
        Assert.Equal(1, snapshot.Nodes - snapshot.ReadyNodes);
        Assert.Equal("NotReady", lease.Inventory.Nodes.Snapshot().Single(n => n.Name == victim).Status);
    }

    [Fact]
    public async Task Remove_WhileAttached_IsRefusedNamingComputeTargets()
    {
        var cluster = await RegisterSandboxAsync("rm-attached");
        var workspaces = fixture.Services.GetRequiredService<Studio.Infrastructure.Workspaces.WorkspaceService>();
        await workspaces.CreateAsync(Admin, "rm-team", null, Ct);
        await using (var db = fixture.Services.GetRequiredService<IDbContextFactory<StudioDbContext>>().CreateDbContext())
        {
            var workspace = await db.Workspaces.SingleAsync(w => w.NormalizedName == "rm-team", Ct);
            workspace.AttachComputeTarget("gpu", cluster.Id, "rm-team", null, DateTimeOffset.UtcNow);
            await db.SaveChangesAsync(Ct);
        }

        var refused = await Clusters.RemoveAsync(Admin, "rm-attached", Ct);

        Assert.Contains("rm-team/gpu", Assert.Single(refused.Errors).Message, StringComparison.Ordinal);
        Assert.Contains(await Clusters.ListAsync(Ct), c => c.Name == "rm-attached");
    }

    [Fact]
    public async Task Remove_Unattached_DeletesClusterAndCredentials()
    {
        var cluster = await RegisterSandboxAsync("rm-free");

        Assert.True((await Clusters.RemoveAsync(Admin, "rm-free", Ct)).IsSuccess);

        await using var db = fixture.Services.GetRequiredService<IDbContextFactory<StudioDbContext>>().CreateDbContext();
        Assert.False(await db.ClusterCredentials.AnyAsync(c => c.ClusterId == cluster.Id, Ct));
        Assert.False(await db.Clusters.AnyAsync(c => c.Id == cluster.Id, Ct));
    }

    [Fact]
    public void SuggestName_MakesADns1123LabelFromAContextName()
    {
        Assert.Equal("prod-1", ClusterService.SuggestName("arn:aws:eks:eu-west-1:123:cluster/Prod_1"));
        Assert.Equal("aks-ml", ClusterService.SuggestName("aks-ml"));
        Assert.Equal("kind-dev", ClusterService.SuggestName("kind-dev"));
        Assert.Equal("cluster", ClusterService.SuggestName("___"));
    }

    private k8s.Kubernetes SandboxClient() =>
        new(KubernetesClientConfiguration.BuildConfigFromConfigFile(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(fixture.Sandbox.CreateKubeconfigYaml()))));

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task<WebApplication> StartUnauthorizedServerAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        app.Run(async context =>
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync("""{"kind":"Status","apiVersion":"v1","status":"Failure","message":"Unauthorized","reason":"Unauthorized","code":401}""");
        });
        await app.StartAsync();
        return app;
    }
}
