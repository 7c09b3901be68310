using System.Globalization;
using MudBlazor;
using Studio.Domain.Jobs;
using Studio.Domain.Workspaces;
using Studio.Infrastructure.Jobs;

namespace Studio.Web.Model;

/// <summary>One thing on the overview that needs someone now, and the link to act on it.</summary>
public sealed record AttentionItem(string Text, string Href, Severity Severity, string TestId);

/// <summary>
/// The overview's "what needs me now" for jobs: per workspace of the person, jobs that failed in the last day, jobs
/// waiting in a queue and jobs running — each a link to the job list filtered to them.
/// </summary>
public sealed class OverviewAttention(JobQueryService jobs, TimeProvider clock)
{
    /// <summary>Workspaces looked at (the first ones by name); more belong on the workspaces page.</summary>
    public const int MaxWorkspaces = 12;

    /// <summary>Failed jobs are news for a day.</summary>
    public static readonly TimeSpan FailedWindow = TimeSpan.FromDays(1);

    public async Task<IReadOnlyList<AttentionItem>> JobsAsync(Actor actor, IEnumerable<string> workspaces, CancellationToken cancellationToken)
    {
        var items = new List<AttentionItem>();
        var since = clock.GetUtcNow() - FailedWindow;
        foreach (var workspace in workspaces.Order(StringComparer.Ordinal).Take(MaxWorkspaces))
        {
            var failed = await jobs.ListAsync(actor, workspace, new JobQuery([JobState.Failed], PageSize: JobQuery.MaxPageSize), cancellationToken);
            var recent = failed.IsSuccess ? failed.Value.Items.Count(j => j.CreatedAt >= since) : 0;
            if (recent > 0)
            {
                items.Add(new($"{Jobs(recent)} failed in the last 24 h in {workspace}", $"{WorkspaceRoutes.Jobs(workspace)}?status=Failed", Severity.Error, $"attention-failed-{workspace}"));
            }

            foreach (var (state, severity, what) in new[] { (JobState.Queued, Severity.Warning, "queued"), (JobState.Running, Severity.Info, "running") })
            {
                var page = await jobs.ListAsync(actor, workspace, new JobQuery([state], PageSize: 1), cancellationToken);
                if (page.IsSuccess && page.Value.Total > 0)
                {
                    items.Add(new($"{Jobs(page.Value.Total)} {what} in {workspace}", $"{WorkspaceRoutes.Jobs(workspace)}?status={state}", severity, $"attention-{what}-{workspace}"));
                }
            }
        }

        return items;
    }

    private static string Jobs(int count) => count == 1 ? "1 job" : $"{count.ToString("N0", CultureInfo.InvariantCulture)} jobs";
}
