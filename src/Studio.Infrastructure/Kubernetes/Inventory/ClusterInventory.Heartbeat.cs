using k8s;
using k8s.Autorest;
using Microsoft.Extensions.Logging;

namespace Studio.Infrastructure.Kubernetes.Inventory;

/// <summary>
/// The API server's heartbeat: a watch on a hung API server (process frozen, TCP still open) just goes quiet, exactly like
/// one on a quiet cluster, so every <see cref="HeartbeatInterval"/> the inventory also asks for the server's version (a
/// cheap request) with a deadline of <see cref="HeartbeatTimeout"/>. While that fails, the inventory is Degraded with
/// the reason; the next answer clears it.
/// </summary>
public sealed partial class ClusterInventory
{
    private readonly CancellationTokenSource _stopHeartbeat = new();
    private Task? _heartbeat;
    private InformerHealth? _apiProblem;

    /// <summary>How often the API server is asked for its version.</summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long that request may take before the API server counts as not answering.</summary>
    public TimeSpan HeartbeatTimeout { get; init; } = TimeSpan.FromSeconds(5);

    private void StartHeartbeat() => _heartbeat = Task.Run(() => HeartbeatLoopAsync(_stopHeartbeat.Token), CancellationToken.None);

    private async Task StopHeartbeatAsync()
    {
        await _stopHeartbeat.CancelAsync();
        if (_heartbeat is not null)
        {
            await _heartbeat;
        }
    }

    private async Task HeartbeatLoopAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(HeartbeatInterval, _clock, stopping);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            string? problem;
            using (var deadline = CancellationTokenSource.CreateLinkedTokenSource(stopping))
            {
                deadline.CancelAfter(HeartbeatTimeout);
                try
                {
                    await _client.Version.GetCodeAsync(deadline.Token);
                    problem = null;
                }
                catch (OperationCanceledException) when (!stopping.IsCancellationRequested)
                {
                    problem = $"The API server did not answer a version request within {HeartbeatTimeout.TotalSeconds:0} s: it may be hung (its connection is open but nothing comes back). Live data may be out of date.";
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                catch (Exception ex) when (ex is HttpRequestException or HttpOperationException or IOException)
                {
                    problem = ClusterProblems.Describe(ex);
                }
            }

            SetApiProblem(problem);
        }
    }

    private void SetApiProblem(string? problem)
    {
        var before = Volatile.Read(ref _apiProblem);
        if (problem is null)
        {
            if (before is not null && Interlocked.CompareExchange(ref _apiProblem, null, before) == before)
            {
                _logger.LogInformation("The API server of cluster {Cluster} answers again", ClusterId);
                RaiseChanged();
            }

            return;
        }

        if (before?.Problem == problem)
        {
            return;
        }

        Volatile.Write(ref _apiProblem, new InformerHealth(InformerState.Degraded, before?.Since ?? _clock.GetUtcNow(), problem, null));
        _logger.LogWarning("Cluster {Cluster}: {Problem}", ClusterId, problem);
        RaiseChanged();
    }

    /// <summary>The informers' health, unless the API server stopped answering its heartbeat: then Degraded with that reason.</summary>
    private InformerHealth WithHeartbeat(InformerHealth informers) =>
        Volatile.Read(ref _apiProblem) is { } api && informers.State != InformerState.Degraded
            ? api with { LastSyncedAt = informers.LastSyncedAt }
            : informers;
}
