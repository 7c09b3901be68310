using System.Collections.Concurrent;
using Studio.Sandbox.Resources;

namespace Studio.Sandbox.Api;

/// <summary>Queued API errors for reliability tests: the next matching resource requests fail with the given status.</summary>
internal sealed class FaultInjector
{
    private readonly ConcurrentQueue<(string? Method, string? Plural, ApiException Error)> _faults = new();

    public void Enqueue(ApiException error, string? method = null, string? plural = null) => _faults.Enqueue((method, plural, error));

    public void Check(string method, ResourceType t)
    {
        if (_faults.IsEmpty || !_faults.TryPeek(out var f))
        {
            return;
        }

        if ((f.Method is null || f.Method == method) && (f.Plural is null || f.Plural == t.Plural) && _faults.TryDequeue(out var taken))
        {
            throw taken.Error;
        }
    }
}
