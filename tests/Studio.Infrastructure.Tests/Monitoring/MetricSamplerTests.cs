using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Studio.Infrastructure.Clusters;
using Studio.Infrastructure.Monitoring;
using Studio.Infrastructure.Persistence;
using Studio.Infrastructure.Tests.Persistence;
using Studio.Sandbox;

namespace Studio.Infrastructure.Tests.Monitoring;

[Collection(PostgresCollection.Name)]
public sealed class MetricSamplerTests(PostgresServer postgres)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<ServiceProvider> ServicesAsync(DatabaseTarget target, TimeSpan? retention = null)
    {
        var services = new ServiceCollection().AddLogging();
        var dataFolder = Path.Combine(Path.GetTempPath(), "studio-monitoring-" + Guid.NewGuid().ToString("N")[..8]);
        services.AddStudioPersistence(
            target == DatabaseTarget.Sqlite
                ? new DatabaseOptions { Provider = DatabaseProvider.Sqlite }
                : new DatabaseOptions { Provider = DatabaseProvider.PostgreSQL, ConnectionString = await postgres.CreateDatabaseAsync() },
            dataFolder);
        services.AddStudioKubernetes(new ConfigurationBuilder().Build());
        services.AddSingleton(Options.Create(new MonitoringOptions { Retention = retention ?? TimeSpan.FromDays(7) }));
        services.AddSingleton<MetricSampler>();
        services.AddSingleton<MetricHistory>();
        var provider = services.BuildServiceProvider();
        await provider.GetRequiredService<DatabaseMigrator>().MigrateAsync(Ct);
        return provider;
    }

    [Theory]
    [InlineData(DatabaseTarget.Sqlite)]
    [InlineData(DatabaseTarget.PostgreSQL)]
    public async Task SampleOnce_WritesATotalAndOneRowPerPool_FromTheClustersInventory(DatabaseTarget target)
    {
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions { Port = 0 }, Ct);
        await using var services = await ServicesAsync(target);
        var registered = await services.GetRequiredService<ClusterService>().RegisterSandboxAsync("sampled", sandbox.CreateKubeconfigYaml("sampled"), Ct);
        Assert.True(registered.IsSuccess);
        var sampler = services.GetRequiredService<MetricSampler>();

        var written = 0;
        for (var attempt = 0; written == 0 && attempt < 100; attempt++)
        {
            written = await sampler.SampleOnceAsync(Ct);
            if (written == 0)
            {
                await Task.Delay(100, Ct);
            }
        }

        var rows = await services.GetRequiredService<MetricHistory>().RangeAsync(registered.Value.Id, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(1), null, 100, Ct);
        Assert.Equal(written, rows.Count);
        var total = Assert.Single(rows, r => r.Pool == MetricSample.ClusterTotal);
        var pools = rows.Where(r => r.Pool != MetricSample.ClusterTotal).ToList();
        Assert.Equal(7, total.Nodes);
        Assert.Equal(total.Nodes, pools.Sum(p => p.Nodes));
        Assert.Equal(total.GpusAllocatable, pools.Sum(p => p.GpusAllocatable));
        Assert.True(total.GpusAllocatable > 0);
        Assert.True(total.CpuAllocatableMillis > 0);
        Assert.Contains(pools, p => p.Pool == "system");
        Assert.All(pools, p => Assert.True(p.CpuRequestedMillis <= p.CpuAllocatableMillis));
        sampler.Dispose();
    }

    [Theory]
    [InlineData(DatabaseTarget.Sqlite)]
    [InlineData(DatabaseTarget.PostgreSQL)]
    public async Task SampleOnce_WhenAnotherReplicaJustSampledTheCluster_WritesNothing(DatabaseTarget target)
    {
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions { Port = 0 }, Ct);
        await using var services = await ServicesAsync(target);
        var registered = await services.GetRequiredService<ClusterService>().RegisterSandboxAsync("replicas", sandbox.CreateKubeconfigYaml("replicas"), Ct);
        Assert.True(registered.IsSuccess);
        using var first = services.GetRequiredService<MetricSampler>();
        using var second = ActivatorUtilities.CreateInstance<MetricSampler>(services);

        var written = 0;
        for (var attempt = 0; written == 0 && attempt < 100; attempt++)
        {
            written = await first.SampleOnceAsync(Ct);
            if (written == 0)
            {
                await Task.Delay(100, Ct);
            }
        }

        // The second replica's inventory is synced too (same registry here), so only the fresh sample stops it.
        Assert.Equal(0, await second.SampleOnceAsync(Ct));
        var rows = await services.GetRequiredService<MetricHistory>().RangeAsync(registered.Value.Id, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(1), null, 100, Ct);
        Assert.Equal(written, rows.Count);
    }

    [Theory]
    [InlineData(DatabaseTarget.Sqlite)]
    [InlineData(DatabaseTarget.PostgreSQL)]
    public async Task Prune_DeletesOnlySamplesOlderThanTheRetention(DatabaseTarget target)
    {
        await using var services = await ServicesAsync(target, retention: TimeSpan.FromDays(2));
        var cluster = Guid.NewGuid();
        var now = DateTimeOffset.UtcNow;
        await using (var db = services.GetRequiredService<IDbContextFactory<StudioDbContext>>().CreateDbContext())
        {
            db.MetricSamples.AddRange(
                new MetricSample { ClusterId = cluster, Pool = "*", At = now.AddDays(-3) },
                new MetricSample { ClusterId = cluster, Pool = "gpu", At = now.AddDays(-2).AddMinutes(-1) },
                new MetricSample { ClusterId = cluster, Pool = "*", At = now.AddDays(-1) },
                new MetricSample { ClusterId = cluster, Pool = "*", At = now });
            await db.SaveChangesAsync(Ct);
        }

        var deleted = await services.GetRequiredService<MetricSampler>().PruneAsync(Ct);

        Assert.Equal(2, deleted);
        await using var check = services.GetRequiredService<IDbContextFactory<StudioDbContext>>().CreateDbContext();
        Assert.Equal(2, await check.MetricSamples.CountAsync(Ct));
        Assert.True(await check.MetricSamples.AllAsync(s => s.At >= now.AddDays(-1).AddSeconds(-1), Ct));
    }

    [Theory]
    [InlineData(DatabaseTarget.Sqlite)]
    [InlineData(DatabaseTarget.PostgreSQL)]
    public async Task Range_ThinsToTheRequestedPoints_KeepsTheLatest_AndFiltersByPoolAndCluster(DatabaseTarget target)
    {
        await using var services = await ServicesAsync(target);
        var cluster = Guid.NewGuid();
        var start = new DateTimeOffset(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);
        await using (var db = services.GetRequiredService<IDbContextFactory<StudioDbContext>>().CreateDbContext())
        {
            for (var i = 0; i < 120; i++)
            {
                db.MetricSamples.Add(new MetricSample { ClusterId = cluster, Pool = "*", At = start.AddSeconds(30 * i), CpuRequestedMillis = i });
                db.MetricSamples.Add(new MetricSample { ClusterId = cluster, Pool = "gpu", At = start.AddSeconds(30 * i), GpusRequested = i });
            }

            db.MetricSamples.Add(new MetricSample { ClusterId = Guid.NewGuid(), Pool = "*", At = start.AddMinutes(5) });
            await db.SaveChangesAsync(Ct);
        }

        var history = services.GetRequiredService<MetricHistory>();
        var all = await history.RangeAsync(cluster, start, start.AddHours(2), null, 1000, Ct);
        var thinned = await history.RangeAsync(cluster, start, start.AddHours(2), "*", 20, Ct);
        var window = await history.RangeAsync(cluster, start.AddMinutes(10), start.AddMinutes(20), "gpu", 1000, Ct);

        Assert.Equal(240, all.Count);
        Assert.InRange(thinned.Count, 20, 21);
        Assert.All(thinned, s => Assert.Equal("*", s.Pool));
        Assert.Equal(119, thinned[^1].CpuRequestedMillis);
        Assert.Equal(thinned.OrderBy(s => s.At).Select(s => s.At), thinned.Select(s => s.At));
        Assert.Equal(21, window.Count);
        Assert.Equal(20, window[0].GpusRequested);
    }
}
