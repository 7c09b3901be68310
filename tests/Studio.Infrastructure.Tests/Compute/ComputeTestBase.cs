using k8s;
using Microsoft.Extensions.DependencyInjection;
using Studio.Domain.Workspaces;
using Studio.Infrastructure.Clusters;
using Studio.Infrastructure.Compute;
using Studio.Infrastructure.Kubernetes;
using Studio.Infrastructure.Tests.Clusters;
using Studio.Sandbox;

namespace Studio.Infrastructure.Tests.Compute;

/// <summary>Helpers for extension and compute tests: a fresh sandbox per test, registered under a unique name.</summary>
public abstract class ComputeTestBase(SandboxClusterFixture fixture) : IAsyncDisposable
{
    protected static readonly Actor Admin = new("admin", "Admin", WorkspaceRole.Administrator);

    private readonly List<SandboxServer> _sandboxes = [];

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    protected SandboxClusterFixture Fixture => fixture;

    protected ExtensionService Extension => fixture.Services.GetRequiredService<ExtensionService>();

    protected ComputeService Computes => fixture.Services.GetRequiredService<ComputeService>();

    protected async Task<string> NewWorkspaceAsync()
    {
        var name = "ws-" + Guid.NewGuid().ToString("N")[..8];
        var created = await fixture.Services.GetRequiredService<Studio.Infrastructure.Workspaces.WorkspaceService>().CreateAsync(Admin, name, null, Ct);
        Assert.True(created.IsSuccess);
        return name;
    }

    protected ClusterService Clusters => fixture.Services.GetRequiredService<ClusterService>();

    /// <summary>Starts a fresh sandbox, registers it, and returns its name, the server and a direct client to inspect it.</summary>
    protected async Task<(string Name, SandboxServer Sandbox, IKubernetes Client)> NewClusterAsync(bool seedNodes = true)
    {
        var sandbox = await SandboxServer.StartAsync(new SandboxOptions { Port = 0, SeedNodes = seedNodes }, Ct);
        _sandboxes.Add(sandbox);
        var name = "c-" + Guid.NewGuid().ToString("N")[..10];
        var registered = await Clusters.RegisterAsync(Admin, new RegisterClusterRequest(name, null, sandbox.CreateKubeconfigYaml(), null), Ct);
        Assert.True(registered.IsSuccess, string.Join("; ", registered.Errors.Select(e => e.Message)));
        var client = await fixture.Services.GetRequiredService<KubernetesClientFactory>().GetAsync(registered.Value.Id, Ct);
        return (name, sandbox, client.Value);
    }

    protected async Task<(string Name, SandboxServer Sandbox, IKubernetes Client)> InstalledClusterAsync(ExtensionSettings? settings = null)
    {
        var cluster = await NewClusterAsync();
        var installed = await Extension.InstallAsync(Admin, cluster.Name, settings ?? new ExtensionSettings(), Ct);
        Assert.True(installed.IsSuccess, string.Join("; ", installed.Errors.Select(e => e.Message)));
        return cluster;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var sandbox in _sandboxes)
        {
            await sandbox.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }
}
