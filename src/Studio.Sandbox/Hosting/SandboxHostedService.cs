
namespace Studio.Sandbox.Hosting;

/// <summary>Starts the sandbox cluster with the host and stops it with the host.</summary>
internal sealed class SandboxHostedService : IHostedService
{
    private readonly SandboxHost _host;
    private SandboxServer? _server;

    public SandboxHostedService(SandboxHost host) => _host = host;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            _server = await SandboxServer.StartAsync(_host.Options, cancellationToken).ConfigureAwait(false);
            _host.SetReady(_server);
        }
        catch (OperationCanceledException)
        {
            _host.SetCanceled();
            throw;
        }
        catch (Exception e)
        {
            _host.SetFailed(e);
            throw;
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_server is not null)
        {
            await _server.DisposeAsync().ConfigureAwait(false);
        }
    }
}
