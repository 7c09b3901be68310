using Microsoft.Extensions.DependencyInjection;
using Studio.Domain.Workspaces;
using Studio.Infrastructure.Clusters;
using Studio.Infrastructure.Compute;
using Studio.Infrastructure.Workspaces;
using Studio.Sandbox;
using Studio.Web.Model;

namespace Studio.Web.Tests.Shared;

/// <summary>
/// A sandbox cluster registered as <c>lab</c> with the studio's extension, and workspace <c>vision</c> (dana a data
/// scientist, rita a reader) with compute target <c>cpu</c> on it — what the bUnit job pages run their jobs on.
/// </summary>
public static class SandboxWorkspace
{
    public static readonly Actor Admin = new("admin", "Admin", WorkspaceRole.Administrator);

    public static async Task<SandboxServer> StartAsync(IServiceProvider services, SandboxOptions options, CancellationToken cancellationToken)
    {
        var sandbox = await SandboxServer.StartAsync(options, cancellationToken);
        Assert.True((await services.GetRequiredService<ClusterService>().RegisterAsync(Admin, new RegisterClusterRequest("lab", null, sandbox.CreateKubeconfigYaml(), null), cancellationToken)).IsSuccess);
        Assert.True((await services.GetRequiredService<ExtensionService>().InstallAsync(Admin, "lab", new ExtensionSettings(), cancellationToken)).IsSuccess);
        var workspaces = services.GetRequiredService<WorkspaceService>();
        await workspaces.CreateAsync(Admin, "vision", null, cancellationToken);
        await workspaces.SetMemberAsync(Admin, "vision", "dana", "dana", WorkspaceRole.DataScientist, cancellationToken);
        await workspaces.SetMemberAsync(Admin, "vision", "rita", "Rita", WorkspaceRole.Reader, cancellationToken);
        Assert.True((await services.GetRequiredService<ComputeService>().AttachAsync(Admin, "vision", new AttachComputeRequest("cpu", "lab", "vision-cpu", CreateNamespace: true), cancellationToken)).IsSuccess);
        services.GetRequiredService<UserPreferences>().Seed(false, "vision");
        return sandbox;
    }
}
