
namespace Studio.Sandbox.Hosting;

/// <summary>Keeps the embedded web host from handling Ctrl+C itself; the owner of the server stops it.</summary>
internal sealed class NoopHostLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
