using System.Collections.Concurrent;
using Studio.Sandbox.Resources;

namespace Studio.Sandbox.Api;

/// <summary>Queued API errors for reliability tests: the next matching resource requests fail with the given status.</summary>
internal sealed class FaultInjector
{
    private readonly ConcurrentQueue<(string? Method, string? Plural, ApiException Error)> _faults = new();

    public void Enqueue(ApiException error, string? method = null, string? plural = null) => _faults.Enqueue((method, plural, error));

    private TaskCompletionSource? _frozen;

    /// <summary>True while the API server is frozen: it accepts connections but answers nothing (see <see cref="Freeze"/>).</summary>
    public bool Frozen => Volatile.Read(ref _frozen) is not null;

    /// <summary>Freezes the API server, as a hung process whose sockets stay open: requests wait, watches send nothing.</summary>
    public void Freeze() => Interlocked.CompareExchange(ref _frozen, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), null);

    /// <summary>Lets the waiting requests and watches go on.</summary>
    public void Thaw() => Interlocked.Exchange(ref _frozen, null)?.TrySetResult();

    /// <summary>Completes at once unless frozen; then when thawed (or <paramref name="cancellationToken"/> is canceled).</summary>
    public Task WhileFrozenAsync(CancellationToken cancellationToken) =>
        Volatile.Read(ref _frozen) is { } frozen ? frozen.Task.WaitAsync(cancellationToken) : Task.CompletedTask;

    /// <summary>Extra delay added to every API request (not to discovery), to simulate a slow or distant API server.</summary>
    public TimeSpan Latency { get; set; }

    /// <summary>An API error of the given HTTP status with the reason the real server uses for it.</summary>
    public static ApiException ErrorFor(int statusCode) => statusCode switch
    {
        429 => ApiException.TooManyRequests("the server has received too many requests and has asked us to try again later"),
        410 => ApiException.Gone("the resource version is too old (injected fault)"),
        409 => new ApiException(409, "Conflict", "the object has been modified (injected fault)"),
        404 => new ApiException(404, "NotFound", "the server could not find the requested resource (injected fault)"),
        403 => new ApiException(403, "Forbidden", "forbidden (injected fault)"),
        401 => new ApiException(401, "Unauthorized", "Unauthorized (injected fault)"),
        503 => new ApiException(503, "ServiceUnavailable", "the server is currently unable to handle the request (injected fault)"),
        504 => new ApiException(504, "Timeout", "the server was unable to return a response in the time allotted (injected fault)"),
        _ => new ApiException(statusCode, "InternalError", "Internal error occurred: injected fault"),
    };

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
