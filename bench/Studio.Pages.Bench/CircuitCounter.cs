using Microsoft.AspNetCore.Components.Server.Circuits;

namespace Studio.Pages.Bench;

/// <summary>Counts the Blazor circuits open on the server (so the memory figure is divided by real circuits).</summary>
internal sealed class CircuitCounter : CircuitHandler
{
    private static int _open;

    public static int Open => Volatile.Read(ref _open);

    public override Task OnCircuitOpenedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _open);
        return Task.CompletedTask;
    }

    public override Task OnCircuitClosedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        Interlocked.Decrement(ref _open);
        return Task.CompletedTask;
    }
}
