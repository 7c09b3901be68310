using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Studio.Domain.Endpoints;
using Studio.Infrastructure.Endpoints;
using Studio.Infrastructure.Persistence.Repositories;
using Studio.Infrastructure.Tests.Persistence;

namespace Studio.Infrastructure.Tests.Endpoints;

/// <summary>Endpoints and deployments on both providers: round trips, uniqueness in the workspace and on the cluster, keys kept encrypted.</summary>
[Collection(PostgresCollection.Name)]
public sealed class EndpointPersistenceTests(PostgresServer postgres)
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);
    private static readonly Guid Cluster = Guid.Parse("0c000000-0000-4000-8000-000000000001");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static OnlineEndpoint Endpoint(Guid workspace, string name, EndpointKeys keys, Guid? cluster = null) =>
        OnlineEndpoint.Create(workspace, new OnlineEndpointSpec { Name = name, Compute = "k8s", Description = "scores", Tags = new Dictionary<string, string> { ["team"] = "vision" } }, cluster ?? Cluster, "team-a-ns", keys.NewProtectedKey(), keys.NewProtectedKey(), T0).Value;

    [Theory]
    [InlineData(DatabaseTarget.Sqlite)]
    [InlineData(DatabaseTarget.PostgreSQL)]
    public async Task EndpointWithDeploymentsTrafficAndTimeline_RoundTrips(DatabaseTarget target)
    {
        await using var provider = await TestDatabases.CreateAsync(target, postgres);
        var keys = new EndpointKeys(provider.GetRequiredService<IDataProtectionProvider>());
        var units = provider.GetRequiredService<UnitOfWorkFactory>();
        var endpoint = Endpoint(Guid.NewGuid(), "my-endpoint", keys);
        var blue = OnlineDeployment.Create(endpoint, EndpointManifestsTests.Blue, "cpu-small", T0).Value;
        var green = OnlineDeployment.Create(endpoint, EndpointManifestsTests.Blue with { Name = "green", Model = new DeploymentModel("azureml:sklearn:2") }, "cpu-small", T0).Value;
        blue.Observe(new DeploymentObservation(2, 2, true), T0.AddMinutes(1));
        green.Observe(new DeploymentObservation(2, 2, true), T0.AddMinutes(1));
        endpoint.Provisioned(T0.AddMinutes(1));
        Assert.True(endpoint.SetTraffic(new Dictionary<string, int> { ["blue"] = 90, ["green"] = 10 }, new Dictionary<string, int>(), ["blue", "green"], T0.AddMinutes(2)).IsSuccess);
        await using (var work = units.Begin())
        {
            work.Endpoints.Add(endpoint);
            work.Endpoints.AddDeployment(blue);
            work.Endpoints.AddDeployment(green);
            await work.SaveChangesAsync(Ct);
        }

        await using var read = units.Begin();
        var back = await read.Endpoints.FindAsync(endpoint.WorkspaceId, "my-endpoint", Ct);
        Assert.NotNull(back);
        Assert.Equal((EndpointState.Succeeded, "k8s", "team-a-ns", "scores", "vision"), (back.State, back.Compute, back.Namespace, back.Description, back.Tags["team"]));
        Assert.Equal(90, back.Traffic["blue"]);
        Assert.Equal(10, back.Traffic["GREEN"]);
        Assert.Equal([EndpointState.Creating, EndpointState.Succeeded], back.Transitions.Select(t => t.State));
        Assert.Equal(keys.Reveal(endpoint.PrimaryKey), keys.Reveal(back.PrimaryKey));
        var deployments = await read.Endpoints.ListDeploymentsAsync([back.Id], Ct);
        Assert.Equal(["blue", "green"], deployments.Select(d => d.Name));
        Assert.Equal(EndpointManifestsTests.Blue, deployments[0].Spec with { EnvironmentVariables = EndpointManifestsTests.Blue.EnvironmentVariables, Tags = EndpointManifestsTests.Blue.Tags });
        Assert.Equal("x", deployments[0].Spec.EnvironmentVariables["MY_VAR"]);
        Assert.Equal("azureml:sklearn:2", deployments[1].Spec.Model!.Reference);
        Assert.Equal((EndpointState.Succeeded, 2, 2, "my-endpoint-blue"), (deployments[0].State, deployments[0].ReadyReplicas, deployments[0].DesiredReplicas, deployments[0].KubernetesName));
        Assert.Equal([EndpointState.Creating, EndpointState.Succeeded], deployments[0].Transitions.Select(t => t.State));
    }

    [Theory]
    [InlineData(DatabaseTarget.Sqlite)]
    [InlineData(DatabaseTarget.PostgreSQL)]
    public async Task Keys_AreStoredAsCiphertext_NotAsTheKey(DatabaseTarget target)
    {
        await using var provider = await TestDatabases.CreateAsync(target, postgres);
        var keys = new EndpointKeys(provider.GetRequiredService<IDataProtectionProvider>());
        var endpoint = Endpoint(Guid.NewGuid(), "my-endpoint", keys);
        await using (var db = provider.Context())
        {
            db.OnlineEndpoints.Add(endpoint);
            await db.SaveChangesAsync(Ct);
        }

        await using var raw = provider.Context();
        var stored = await raw.Database.SqlQueryRaw<string>("SELECT \"ProtectedPrimaryKey\" AS \"Value\" FROM online_endpoints").SingleAsync(Ct);
        var plain = keys.Reveal(stored);
        Assert.Equal(43, plain.Length);
        Assert.DoesNotContain(plain, stored, StringComparison.Ordinal);
        Assert.NotEqual(plain, keys.Reveal(endpoint.SecondaryKey));
    }

    [Theory]
    [InlineData(DatabaseTarget.Sqlite)]
    [InlineData(DatabaseTarget.PostgreSQL)]
    public async Task SameNameInTheWorkspaceOrOnTheCluster_IsRejectedByTheDatabase(DatabaseTarget target)
    {
        await using var provider = await TestDatabases.CreateAsync(target, postgres);
        var keys = new EndpointKeys(provider.GetRequiredService<IDataProtectionProvider>());
        var units = provider.GetRequiredService<UnitOfWorkFactory>();
        var workspace = Guid.NewGuid();
        await using (var work = units.Begin())
        {
            work.Endpoints.Add(Endpoint(workspace, "my-endpoint", keys));
            await work.SaveChangesAsync(Ct);
        }

        await using (var work = units.Begin())
        {
            Assert.True(await work.Endpoints.NameTakenOnClusterAsync(Cluster, "my-endpoint", Ct));
            Assert.False(await work.Endpoints.NameTakenOnClusterAsync(Guid.NewGuid(), "my-endpoint", Ct));
            work.Endpoints.Add(Endpoint(Guid.NewGuid(), "my-endpoint", keys));
            await Assert.ThrowsAsync<DbUpdateException>(() => work.SaveChangesAsync(Ct));
        }

        await using (var work = units.Begin())
        {
            work.Endpoints.Add(Endpoint(workspace, "my-endpoint", keys, Guid.NewGuid()));
            await Assert.ThrowsAsync<DbUpdateException>(() => work.SaveChangesAsync(Ct));
        }

        await using (var work = units.Begin())
        {
            work.Endpoints.Add(Endpoint(Guid.NewGuid(), "my-endpoint", keys, Guid.NewGuid()));
            await work.SaveChangesAsync(Ct);
        }
    }

    [Theory]
    [InlineData(DatabaseTarget.Sqlite)]
    [InlineData(DatabaseTarget.PostgreSQL)]
    public async Task DeletingAnEndpoint_RemovesItsDeployments_AndConcurrentWritesAreDetected(DatabaseTarget target)
    {
        await using var provider = await TestDatabases.CreateAsync(target, postgres);
        var keys = new EndpointKeys(provider.GetRequiredService<IDataProtectionProvider>());
        var units = provider.GetRequiredService<UnitOfWorkFactory>();
        var endpoint = Endpoint(Guid.NewGuid(), "my-endpoint", keys);
        await using (var work = units.Begin())
        {
            work.Endpoints.Add(endpoint);
            work.Endpoints.AddDeployment(OnlineDeployment.Create(endpoint, EndpointManifestsTests.Blue, "cpu-small", T0).Value);
            await work.SaveChangesAsync(Ct);
        }

        await using (var first = units.Begin())
        await using (var second = units.Begin())
        {
            var a = (await first.Endpoints.FindAsync(endpoint.WorkspaceId, "my-endpoint", Ct))!;
            var b = (await second.Endpoints.FindAsync(endpoint.WorkspaceId, "my-endpoint", Ct))!;
            a.Provisioned(T0.AddMinutes(1));
            await first.SaveChangesAsync(Ct);
            b.Fail("ApplyFailed", "refused", T0.AddMinutes(2));
            await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => second.SaveChangesAsync(Ct));
        }

        await using (var work = units.Begin())
        {
            work.Endpoints.Remove((await work.Endpoints.FindAsync(endpoint.WorkspaceId, "my-endpoint", Ct))!);
            await work.SaveChangesAsync(Ct);
        }

        await using var read = provider.Context();
        Assert.Equal(0, await read.OnlineDeployments.CountAsync(Ct));
    }
}
