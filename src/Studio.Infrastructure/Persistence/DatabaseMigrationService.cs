using Microsoft.Extensions.Hosting;

namespace Studio.Infrastructure.Persistence;

/// <summary>Applies pending migrations when the host starts, before the other hosted services (Data Protection among them).</summary>
internal sealed class DatabaseMigrationService(DatabaseMigrator migrator) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => migrator.MigrateAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
