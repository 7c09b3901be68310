namespace Studio.Sandbox.Hosting;

/// <summary>The sandbox cluster hosted inside another application; <see cref="Ready"/> completes once it listens.</summary>
public sealed class SandboxHost
{
    private readonly TaskCompletionSource<SandboxServer> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public SandboxHost(SandboxOptions options)
    {
        Options = options;
    }

    public SandboxOptions Options { get; }

    public Task<SandboxServer> Ready => _ready.Task;

    internal void SetReady(SandboxServer server) => _ready.TrySetResult(server);

    internal void SetFailed(Exception error) => _ready.TrySetException(error);

    internal void SetCanceled() => _ready.TrySetCanceled();
}
