using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Studio.Infrastructure.Environments;
using Studio.Infrastructure.Leadership;

namespace Studio.Infrastructure.Jobs;

/// <summary>
/// Follows in-cluster image builds every <see cref="EnvironmentBuildOptions.PollInterval"/> on the replica that leads
/// (<see cref="ILeadership"/>), so one replica resumes or fails the jobs that wait for them. Idle without a registry.
/// </summary>
public sealed class EnvironmentBuildWatcher(EnvironmentBuildService builds, ILeadership leadership, IOptions<EnvironmentBuildOptions> options, TimeProvider clock, ILogger<EnvironmentBuildWatcher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
        {
            return;
        }

        var interval = options.Value.PollInterval > TimeSpan.Zero ? options.Value.PollInterval : TimeSpan.FromSeconds(2);
        using var timer = new PeriodicTimer(interval, clock);
        do
        {
            if (!leadership.IsLeader)
            {
                continue;
            }

            try
            {
                await builds.ReconcileAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Following image builds failed; trying again in {Interval}", interval);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }
}
