using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;

namespace Studio.Infrastructure.Leadership;

/// <summary>
/// Leadership decided by an <see cref="ILeaderElector"/> among the replicas. The election starts with the host (or the
/// first <see cref="WaitForTermAsync"/>) and ends at shutdown, releasing the lead so another replica takes over at once.
/// </summary>
public sealed class ElectedLeadership : ILeadership, IAsyncDisposable
{
    /// <summary>The meter of <c>studio.leader</c> (1 on the replica that leads, 0 on the others).</summary>
    public const string MeterName = "Studio.Leadership";

    private readonly ILeaderElector _elector;
    private readonly ILogger<ElectedLeadership> _logger;
    private readonly TimeSpan _retry;
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly Meter _meter = new(MeterName);
    private TaskCompletionSource<CancellationToken> _term = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private CancellationTokenSource? _termSource;
    private Task? _loop;

    public ElectedLeadership(ILeaderElector elector, TimeSpan retry, ILogger<ElectedLeadership> logger)
    {
        _elector = elector;
        _retry = retry;
        _logger = logger;
        _meter.CreateObservableGauge("studio.leader", () => IsLeader ? 1 : 0, description: "1 while this replica runs the once-per-deployment loops");
    }

    public string Identity => _elector.Identity;

    public string Mechanism => _elector.Mechanism;

    public bool IsLeader
    {
        get
        {
            lock (_gate)
            {
                return _termSource is not null;
            }
        }
    }

    /// <summary>How many times this replica took the lead (tests, diagnostics).</summary>
    public int Terms { get; private set; }

    public Task<CancellationToken> WaitForTermAsync(CancellationToken cancellationToken)
    {
        Start();
        lock (_gate)
        {
            return _term.Task.WaitAsync(cancellationToken);
        }
    }

    /// <summary>Joins the election (once).</summary>
    public void Start()
    {
        lock (_gate)
        {
            _loop ??= Task.Run(() => RunAsync(_stopping.Token), CancellationToken.None);
        }
    }

    /// <summary>Leaves the election: the loops that lead see their term end, and the lead is released.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        Task? loop;
        lock (_gate)
        {
            loop = _loop;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        if (loop is not null)
        {
            await loop.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task RunAsync(CancellationToken stopping)
    {
        _logger.LogInformation("Replica {Identity} joins the leader election ({Mechanism})", Identity, Mechanism);
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await _elector.RunAsync(Started, Stopped, stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
            }
            catch (Exception e)
            {
                _logger.LogWarning(e, "The leader election ({Mechanism}) failed; trying again in {Retry}", Mechanism, _retry);
                Stopped();
                try
                {
                    await Task.Delay(_retry, stopping).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                }
            }
        }

        Stopped();
    }

    private void Started()
    {
        lock (_gate)
        {
            if (_termSource is not null)
            {
                return;
            }

            _termSource = new CancellationTokenSource();
            Terms++;
            _term.TrySetResult(_termSource.Token);
        }

        _logger.LogInformation("Replica {Identity} leads now ({Mechanism}): it runs the job tracker and the other once-per-deployment loops", Identity, Mechanism);
    }

    private void Stopped()
    {
        CancellationTokenSource? ended;
        lock (_gate)
        {
            ended = _termSource;
            if (ended is null)
            {
                return;
            }

            _termSource = null;
            _term = new TaskCompletionSource<CancellationToken>(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        _logger.LogInformation("Replica {Identity} no longer leads ({Mechanism})", Identity, Mechanism);
        ended.Cancel();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None).ConfigureAwait(false);
        _stopping.Dispose();
        _meter.Dispose();
    }
}
