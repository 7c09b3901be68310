using Studio.Domain.Workspaces;
using Studio.Infrastructure.Clusters;
using Studio.Infrastructure.Jobs;
using Studio.Infrastructure.Kubernetes.Inventory;
using Studio.Infrastructure.Persistence;
using Studio.Web.Live;

namespace Studio.Web.Model;

/// <summary>
/// What a monitoring view (the Monitoring page, the wall display) shows for one cluster: the clusters the person may
/// watch, sampled history plus the live "now", the GPU heat map and the live indicator. Follows the cluster's shared
/// inventory (coalesced to one refresh per ~100 ms) and reloads history when a new sample is due.
/// </summary>
public sealed class MonitoringSession(LiveAccess access, ClusterService clusterService, LiveClusters live, SharedChartHistory history, GpuHeatMapRows gpuRows, WorkloadStats workloads, JobService jobs, TimeProvider clock) : IDisposable
{
    private Actor? _actor;
    private Coalescer? _jobChanges;
    private IReadOnlyDictionary<(Guid Cluster, string Namespace), string> _owners = new Dictionary<(Guid, string), string>();
    private IReadOnlyList<MetricSample> _history = [];
    private DateTimeOffset _historyLoadedAt;
    private Func<Task>? _onChange;
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

    public async Task InitializeAsync(Actor actor, CancellationToken cancellationToken)
    {
        _actor = actor;
        _jobChanges ??= new Coalescer(() => RefreshAsync(force: true), TimeSpan.FromSeconds(1));
        jobs.JobChanged += OnJobChanged;
        var (visible, owners) = await access.VisibilityAsync(actor, cancellationToken);
        _owners = owners;
        Clusters = [.. (await clusterService.ListAsync(cancellationToken)).Where(c => visible is null || visible.Contains(c.Id)).OrderBy(c => c.Name, StringComparer.Ordinal)];
    }

    /// <summary>Shows a cluster (by name; null: the first), a pool (null: all) and a time range; calls back on changes.</summary>
    public async Task SelectAsync(string? cluster, string? pool, TimeSpan range, Func<Task> onChange, CancellationToken cancellationToken)
    {
        _onChange = onChange;
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

        await live.WatchViewsAsync([Cluster.Id], () => RefreshAsync(force: false), cancellationToken);
        if (changed)
        {
            await LoadHistoryAsync(cancellationToken, opening: true);
        }

        Compute();
    }

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

    private async Task RefreshAsync(bool force)
    {
        if (Cluster is null)
        {
            return;
        }

        if (force || clock.GetUtcNow() - _historyLoadedAt > TimeSpan.FromSeconds(30))
        {
            await LoadHistoryAsync(CancellationToken.None);
        }

        Compute();
        if (_onChange is not null)
        {
            await _onChange();
        }
    }

    private void Compute()
    {
        // The heavy part (a pass over every pod) is the shared view, computed once per batch for all circuits; this only
        // picks the pool's "now" point and labels the top GPU nodes for this person.
        var view = View = live.View(Cluster!.Id);
        var now = clock.GetUtcNow();
        Snapshot = view?.Snapshot ?? ClusterSnapshot.Unreachable(live.Problems.GetValueOrDefault(Cluster.Id) ?? "Not connected.", now);
        _history = history.Latest(Cluster.Id, Pool, Range) ?? _history; // the list every page of this cluster holds
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

    private void OnJobChanged(JobSummary job) => _jobChanges?.Signal();

    public void Dispose()
    {
        jobs.JobChanged -= OnJobChanged;
        _jobChanges?.Dispose();
        live.Dispose();
    }
}
