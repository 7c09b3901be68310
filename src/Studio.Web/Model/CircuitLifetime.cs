namespace Studio.Web.Model;

/// <summary>
/// A cancellation token that ends with the circuit (the per-circuit DI scope): work a page starts on the person's
/// behalf stops when they close the tab, instead of running to completion with <see cref="CancellationToken.None"/>.
/// </summary>
public sealed class CircuitLifetime : IDisposable
{
    private readonly CancellationTokenSource _ended = new();

    /// <summary>Canceled when the circuit ends.</summary>
    public CancellationToken Token { get; }

    public CircuitLifetime() => Token = _ended.Token;

    public void Dispose()
    {
        _ended.Cancel();
        _ended.Dispose();
    }
}
