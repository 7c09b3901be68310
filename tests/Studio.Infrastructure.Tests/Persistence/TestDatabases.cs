using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Studio.Infrastructure.Persistence;

namespace Studio.Infrastructure.Tests.Persistence;

/// <summary>Builds a service provider with the studio's real persistence registration for one provider and a fresh database.</summary>
public static class TestDatabases
{
    public static async Task<ServiceProvider> CreateAsync(DatabaseTarget target, PostgresServer postgres, Action<IServiceCollection>? configure = null)
    {
        var services = new ServiceCollection().AddLogging();
        var dataFolder = Path.Combine(Path.GetTempPath(), "studio-test-" + Guid.NewGuid().ToString("N")[..8]);
        var options = target == DatabaseTarget.Sqlite
            ? new DatabaseOptions { Provider = DatabaseProvider.Sqlite }
            : new DatabaseOptions { Provider = DatabaseProvider.PostgreSQL, ConnectionString = await postgres.CreateDatabaseAsync() };
        services.AddStudioPersistence(options, dataFolder);
        configure?.Invoke(services);
        var provider = services.BuildServiceProvider();
        await provider.GetRequiredService<DatabaseMigrator>().MigrateAsync(CancellationToken.None);
        return provider;
    }

    public static StudioDbContext Context(this IServiceProvider provider) =>
        provider.GetRequiredService<IDbContextFactory<StudioDbContext>>().CreateDbContext();
}
