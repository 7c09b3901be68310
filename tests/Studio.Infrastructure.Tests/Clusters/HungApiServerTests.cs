using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Studio.Domain.Workspaces;
using Studio.Infrastructure.Clusters;
using Studio.Infrastructure.Kubernetes.Inventory;
using Studio.Sandbox;

namespace Studio.Infrastructure.Tests.Clusters;

/// <summary>An API server that hangs (process frozen, TCP open) while the studio watches it.</summary>
public sealed class HungApiServerTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task FrozenApiServer_ShowsTheClusterDegradedWithTheReasonWithin30Seconds_AndItRecoversByItself()
    {
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions { Port = 0 }, Ct);
        await using var services = SandboxClusterFixture.CreateServices();
        await services.GetRequiredService<Studio.Infrastructure.Persistence.DatabaseMigrator>().MigrateAsync(Ct);
        var cluster = await services.GetRequiredService<ClusterService>().RegisterAsync(
            new Actor("admin", "Admin", WorkspaceRole.Administrator), new RegisterClusterRequest("hung", null, sandbox.CreateKubeconfigYaml(), null), Ct);
        Assert.True(cluster.IsSuccess, string.Join("; ", cluster.Errors.Select(e => e.Message)));
        using var lease = (await services.GetRequiredService<InventoryRegistry>().AcquireAsync(cluster.Value.Id, Ct)).Value;
        await lease.Inventory.FirstSync.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        Assert.Equal(ClusterConnectionState.Connected, ClusterSnapshot.From(lease.Inventory).State);

        try
        {
            sandbox.Freeze();
            var clock = Stopwatch.StartNew();
            var degraded = await UntilAsync(lease.Inventory, ClusterConnectionState.Degraded, TimeSpan.FromSeconds(40));

            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"Degraded after {clock.Elapsed.TotalSeconds:0.0} s");
            Assert.Contains("did not answer", degraded.Problem, StringComparison.Ordinal);
            Assert.True(degraded.IsStale);
        }
        finally
        {
            sandbox.Thaw();
        }

        var recovered = await UntilAsync(lease.Inventory, ClusterConnectionState.Connected, TimeSpan.FromSeconds(30));
        Assert.Null(recovered.Problem);
    }

    private static async Task<ClusterSnapshot> UntilAsync(ClusterInventory inventory, ClusterConnectionState state, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var snapshot = ClusterSnapshot.From(inventory);
            if (snapshot.State == state)
            {
                return snapshot;
            }

            Assert.True(DateTime.UtcNow < deadline, $"still {snapshot.State} ({snapshot.Problem}) after {timeout.TotalSeconds:0} s");
            await Task.Delay(100, Ct);
        }
    }
}
