using Microsoft.AspNetCore.Components;
using Studio.Infrastructure.Live;
using Studio.Web.Components.Controls;
using Studio.Web.Model;

namespace Studio.Web.Components.Pages;

/// <summary>
/// Base of the monitoring views (the Monitoring page, the wall display): a <see cref="MonitoringSession"/> fed by two live
/// subscriptions — the chosen cluster's shared view (every batch) and the job records of the person's workspaces (the
/// workload panels, at most every <see cref="LiveOptions.WorkloadRefresh"/>).
/// </summary>
public abstract class MonitoringPage : StudioPage
{
    [Inject]
    public required MonitoringSession Session { get; init; }

    /// <summary>Loads what the person may watch and follows their workspaces' job records.</summary>
    protected async Task InitializeSessionAsync()
    {
        await Session.InitializeAsync(await GetActorAsync(), LiveToken);
        foreach (var workspace in Session.JobWorkspaces)
        {
            var jobs = new LiveTarget(LiveScope.Workspace(workspace), [], []);
            var started = false;
            await FollowAsync(Feed.SubscribeAsync(jobs, Feed.Options.WorkloadRefresh, LiveToken), async _ =>
            {
                if (started)
                {
                    await Session.JobsChangedAsync(LiveToken);
                }
            });
            started = true;
        }
    }

    /// <summary>Shows a cluster, pool and range, following the cluster's shared view.</summary>
    protected async Task SelectAsync(string? cluster, string? pool, TimeSpan range)
    {
        await Session.SelectAsync(cluster, pool, range, LiveToken);
        if (Session.Cluster is not { } chosen)
        {
            return;
        }

        await FollowClusterViewsAsync([chosen.Id], ApplyViewAsync);
        await ApplyViewAsync();
    }

    // The cluster shown now (an earlier choice's view may still be followed).
    private Task ApplyViewAsync() => Session.Cluster is { } shown
        ? Session.ApplyViewAsync(ClusterView(shown.Id), LiveProblems.GetValueOrDefault(shown.Id), LiveToken)
        : Task.CompletedTask;
}
