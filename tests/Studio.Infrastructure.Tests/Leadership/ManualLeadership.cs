using Studio.Infrastructure.Leadership;

namespace Studio.Infrastructure.Tests.Leadership;

/// <summary>Leadership a test grants and takes away.</summary>
public sealed class ManualLeadership : ILeadership
{
    private readonly Lock _gate = new();
    private TaskCompletionSource<CancellationToken> _term = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private CancellationTokenSource? _source;

    public string Identity => "manual";

    public string Mechanism => "granted by the test";

    public bool IsLeader
    {
        get
        {
            lock (_gate)
            {
                return _source is not null;
            }
        }
    }

    public Task<CancellationToken> WaitForTermAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return _term.Task.WaitAsync(cancellationToken);
        }
    }

    public void Grant()
    {
        lock (_gate)
        {
            _source ??= new CancellationTokenSource();
            _term.TrySetResult(_source.Token);
        }
    }

    public void Revoke()
    {
        CancellationTokenSource? ended;
        lock (_gate)
        {
            ended = _source;
            _source = null;
            _term = new TaskCompletionSource<CancellationToken>(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        ended?.Cancel();
    }
}
