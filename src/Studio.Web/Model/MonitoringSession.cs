using Studio.Domain.Workspaces;
using Studio.Infrastructure.Clusters;
using Studio.Infrastructure.Kubernetes.Inventory;
using Studio.Infrastructure.Live;
using Studio.Infrastructure.Monitoring;
using Studio.Infrastructure.Persistence;

namespace Studio.Web.Model;

/// <summary>
/// What a monitoring view (the Monitoring page, the wall display) shows for one cluster: the clusters the person may
/// watch, sampled history plus the live "now", the GPU heat map and the live indicator. The page follows the cluster's
/// shared live view and its workspaces' job records (<c>MonitoringPage</c>) and hands each batch here
/// (<see cref="ApplyViewAsync"/>, <see cref="JobsChangedAsync"/>); history is reloaded when a new sample is due.
/// </summary>
public sealed class MonitoringSession(LiveAccess access, ClusterService clusterService, SharedChartHistory history, GpuHeatMapRows gpuRows, WorkloadStats workloads, TimeProvider clock)
{
    private Actor? _actor;
    private IReadOnlyDictionary<(Guid Cluster, string Namespace), string> _owners = new Dictionary<(Guid, string), string>();
    private IReadOnlyList<MetricSample> _history = [];
    private DateTimeOffset _historyLoadedAt;
    private string? _liveProblem;
    private IReadOnlyList<GpuNodeLoad>? _gpuNodesShown;
    private int _gpuRowsFor;

    public IReadOnlyList<ClusterSummary> Clusters { get; private set; } = [];

    public ClusterSummary? Cluster { get; private set; }

    public string Pool { get; private set; } = MetricSample.ClusterTotal;

    public TimeSpan Range { get; private set; } = TimeSpan.FromHours(1);

    public ClusterSnapshot? Snapshot { get; private set; }

    /// <summary>The shared live view of the cluster (one per cluster for all circuits), null while unavailable.</summary>
    public LiveClusterView? View { get; private set; }

    /// <summary>
    /// History plus the charts' "now" point (<see cref="LiveClusterView.ChartNow"/>): the same list until the history is
    /// reloaded or the shared view's chart sample moves on, so charts are not recomputed on every change batch.
    /// </summary>
    public IReadOnlyList<UtilisationPoint> ChartHistory { get; private set; } = [];

    private (object? History, object? ChartNow, string Pool) _chartFrom;

    /// <summary>The live "now" point, updated every change batch (cards and chart titles); the latest sample without a live view.</summary>
    public UtilisationPoint? Now { get; private set; }

    public IReadOnlyList<GpuNodeRow> Gpus { get; private set; } = [];

    public int HiddenGpuNodes { get; private set; }

    public int MaxGpuNodes { get; set; } = 32;

    /// <summary>Why the chosen cluster cannot be shown (unknown, not allowed), if so.</summary>
    public string? Problem { get; private set; }

    public (LiveState State, DateTimeOffset? Since) Indicator => MonitoringModel.Indicator(Snapshot);

    /// <summary>Jobs by state, queues and failures on the cluster in the range (the person's workspaces).</summary>
    public WorkloadView Workloads { get; private set; } = WorkloadView.Empty;

    /// <summary>The workspaces whose job records the workload panels count (the person's): their changes refresh them.</summary>
    public IReadOnlyList<string> JobWorkspaces { get; private set; } = [];

    public async Task InitializeAsync(Actor actor, CancellationToken cancellationToken)
    {
        _actor = actor;
        var visibility = await access.VisibilityAsync(actor, cancellationToken);
        _owners = visibility.Owners;
        JobWorkspaces = visibility.Workspaces;
        Clusters = [.. (await clusterService.ListAsync(actor, cancellationToken)).OrderBy(c => c.Name, StringComparer.Ordinal)];
    }

    /// <summary>
    /// Chooses a cluster (by name; null: the first), a pool (null: all) and a time range, and loads their history; the
    /// figures follow once the page hands the cluster's shared view (<see cref="ApplyViewAsync"/>).
    /// </summary>
    public async Task SelectAsync(string? cluster, string? pool, TimeSpan range, CancellationToken cancellationToken)
    {
        var chosen = cluster is null ? Clusters.FirstOrDefault() : Clusters.FirstOrDefault(c => string.Equals(c.Name, cluster, StringComparison.OrdinalIgnoreCase));
        Problem = chosen is null && cluster is not null ? $"Cluster '{cluster}' is not registered, or you cannot see it." : null;
        var changed = chosen?.Id != Cluster?.Id || Range != range || Pool != (pool ?? MetricSample.ClusterTotal);
        Cluster = chosen;
        Pool = pool ?? MetricSample.ClusterTotal;
        Range = range;
        if (Cluster is null)
        {
            return;
        }

        if (changed)
        {
            await LoadHistoryAsync(cancellationToken, opening: true);
        }
    }

    /// <summary>A new shared view of the chosen cluster (or why there is none): the figures follow it.</summary>
    public Task ApplyViewAsync(LiveClusterView? view, string? problem, CancellationToken cancellationToken) => RefreshAsync(view, problem, force: false, cancellationToken);

    /// <summary>Job records of the person's workspaces changed: the workload panels (and history) are read again.</summary>
    public Task JobsChangedAsync(CancellationToken cancellationToken) => RefreshAsync(View, _liveProblem, force: true, cancellationToken);

    /// <summary>
    /// History points per chart line (evenly spaced instants of the range): one a minute over an hour, plenty for a chart
    /// a few hundred pixels wide. Every point is kept per circuit several times over (samples, points, each chart's
    /// series and MudChart's own geometry), in every circuit showing the page.
    /// </summary>
    public const int ChartPoints = 60;

    private async Task LoadHistoryAsync(CancellationToken cancellationToken, bool opening = false)
    {
        var now = clock.GetUtcNow();
        _history = await history.SamplesAsync(Cluster!.Id, Pool, Range, ChartPoints, opening, cancellationToken);
        Workloads = _actor is null ? WorkloadView.Empty : await workloads.LoadAsync(_actor, Cluster.Id, Range, cancellationToken);
        _historyLoadedAt = now;
    }

    private async Task RefreshAsync(LiveClusterView? view, string? problem, bool force, CancellationToken cancellationToken)
    {
        if (Cluster is null)
        {
            return;
        }

        if (force || clock.GetUtcNow() - _historyLoadedAt > TimeSpan.FromSeconds(30))
        {
            await LoadHistoryAsync(cancellationToken);
        }

        Compute(view, problem);
    }

    private void Compute(LiveClusterView? view, string? problem)
    {
        // The heavy part (a pass over every pod) is the shared view, computed once per batch for all circuits; this only
        // picks the pool's "now" point and labels the top GPU nodes for this person.
        View = view;
        _liveProblem = problem;
        var now = clock.GetUtcNow();
        Snapshot = view?.Snapshot ?? ClusterSnapshot.Unreachable(problem ?? "Not connected.", now);
        _history = history.Latest(Cluster!.Id, Pool, Range) ?? _history; // the list every page of this cluster holds
        Now = MonitoringModel.Latest(_history, Pool, view?.Sample(Pool));
        var chartFrom = ((object?)_history, (object?)view?.ChartNow, Pool);
        if (chartFrom != _chartFrom)
        {
            ChartHistory = history.Points(_history, Pool, view?.ChartSample(Pool));
            _chartFrom = chartFrom;
        }
        if (view is null)
        {
            Gpus = [];
            HiddenGpuNodes = 0;
            return;
        }

        if (ReferenceEquals(view.GpuNodes, _gpuNodesShown) && _gpuRowsFor == MaxGpuNodes)
        {
            return; // no GPU pod or node changed: the same rows (and the heat map skips its render)
        }

        var clusterId = Cluster.Id;
        Gpus = gpuRows.For(view.GpuNodes, ns => _owners.GetValueOrDefault((clusterId, ns)) ?? $"namespace {ns}", MaxGpuNodes, out var hidden);
        HiddenGpuNodes = hidden;
        _gpuNodesShown = view.GpuNodes;
        _gpuRowsFor = MaxGpuNodes;
    }
}
