using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Studio.Infrastructure.Persistence;
using Studio.Sandbox;

namespace Studio.Infrastructure.Tests.Clusters;

/// <summary>A sandbox cluster over HTTP and the studio's real cluster services on a fresh SQLite database.</summary>
public sealed class SandboxClusterFixture : IAsyncLifetime
{
    public SandboxServer Sandbox { get; private set; } = null!;

    public ServiceProvider Services { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Sandbox = await SandboxServer.StartAsync(new SandboxOptions { Port = 0 });
        Services = CreateServices();
        await Services.GetRequiredService<DatabaseMigrator>().MigrateAsync(CancellationToken.None);
    }

    public static ServiceProvider CreateServices()
    {
        var configuration = new ConfigurationBuilder().Build();
        var services = new ServiceCollection().AddLogging();
        services.AddStudioPersistence(new DatabaseOptions { Provider = DatabaseProvider.Sqlite }, Path.Combine(Path.GetTempPath(), "studio-clusters-" + Guid.NewGuid().ToString("N")[..8]));
        services.AddStudioKubernetes(configuration);
        return services.BuildServiceProvider();
    }

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        await Sandbox.DisposeAsync();
    }
}
