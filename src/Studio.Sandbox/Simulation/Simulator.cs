using System.Globalization;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Studio.Sandbox.Api;
using Studio.Sandbox.Resources;
using Studio.Sandbox.Storage;

namespace Studio.Sandbox.Simulation;

/// <summary>
/// Runs the simulated control plane and kubelets of a sandbox cluster on one loop: a single store subscription (all kinds)
/// feeds the scheduler, the kubelet and the controllers; timers (scaled by <see cref="SandboxOptions.Speed"/>) drive
/// simulated durations. All writes go through <see cref="ObjectService"/> so API semantics apply.
/// </summary>
internal sealed class Simulator : IAsyncDisposable
{
    private readonly System.Collections.Concurrent.ConcurrentQueue<Action> _posted = new();
    private readonly Channel<StoreEvent?> _work = Channel.CreateUnbounded<StoreEvent?>(new UnboundedChannelOptions { SingleReader = true });
    private readonly PriorityQueue<(Action Action, long Due), (long Due, long Seq)> _timers = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly HashSet<string> _dirtyOwners = new(StringComparer.Ordinal);
    private readonly HashSet<string> _dirtyServiceNamespaces = new(StringComparer.Ordinal);
    private readonly List<Task> _tasks = [];
    private StoreSubscription? _subscription;
    private volatile SandboxFaults _faults = new();
    private long _seq;

    public Simulator(SandboxCluster cluster)
    {
        Cluster = cluster;
        Speed = cluster.Options.Speed > 0 ? cluster.Options.Speed : 1;
        Pods = cluster.Type("", "v1", "pods");
        Nodes = cluster.Type("", "v1", "nodes");
        Events = cluster.Type("", "v1", "events");
        Endpoints = cluster.Type("", "v1", "endpoints");
        Jobs = cluster.Type("batch", "v1", "jobs");
        ReplicaSets = cluster.Type("apps", "v1", "replicasets");
        Deployments = cluster.Type("apps", "v1", "deployments");
        CronJobs = cluster.Type("batch", "v1", "cronjobs");
        Scheduler = new Scheduler(this);
        Kubelet = new Kubelet(this);
        JobController = new JobController(this);
        Workloads = new DeploymentController(this);
        EndpointsController = new EndpointsController(this);
        Autoscaler = new HpaController(this);
        CronJobController = new CronJobController(this);
        Disruption = new DisruptionController(this);
        Logs = new TimestampedLogs(cluster.Logs);
        Http = new SimulationHttp(this);
        NodeStatus = new NodeLifecycle(this);
        Recorder = new EventRecorder(this);
    }

    public TimestampedLogs Logs { get; }
    public SimulationHttp Http { get; }

    /// <summary>Records core/v1 Events as the simulated components would.</summary>
    public EventRecorder Recorder { get; }

    /// <summary>Node heartbeats and not-ready faults.</summary>
    private NodeLifecycle NodeStatus { get; }

    /// <summary>The active fault modes (an immutable snapshot; replace with <see cref="SetFaults"/>).</summary>
    public SandboxFaults Faults => _faults;

    public void SetFaults(SandboxFaults faults)
    {
        var snapshot = faults.Clone();
        _faults = snapshot;
        var pattern = snapshot.ImagePullFailure;
        Kubelet.ImageFails = string.IsNullOrEmpty(pattern) ? null : image => image.Contains(pattern, StringComparison.OrdinalIgnoreCase);
        Kubelet.EvictionSeconds = snapshot.EvictionSeconds;
        NodeStatus.ApplyNotReady(snapshot.NotReadyNodes);
    }

    /// <summary>Counts for <c>GET /sandbox/status</c>.</summary>
    public JsonObject Status() => new()
    {
        ["speed"] = Speed,
        ["nodes"] = Store.Count("nodes"),
        ["pods"] = Store.Count("pods"),
        ["pendingPods"] = Scheduler.PendingCount,
        ["kubeletPods"] = Kubelet.RunningCount,
        ["faults"] = System.Text.Json.JsonSerializer.SerializeToNode(Faults, new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web)),
    };

    public SandboxCluster Cluster { get; }
    public ObjectService Service => Cluster.Service;
    public ObjectStore Store => Cluster.Store;
    public double Speed { get; }
    public ResourceType Pods { get; }
    public ResourceType Nodes { get; }
    public ResourceType Events { get; }
    public ResourceType Endpoints { get; }
    public ResourceType Jobs { get; }
    public ResourceType ReplicaSets { get; }
    public ResourceType Deployments { get; }
    public ResourceType CronJobs { get; }
    public Scheduler Scheduler { get; }
    public Kubelet Kubelet { get; }
    public JobController JobController { get; }
    public DeploymentController Workloads { get; }
    public EndpointsController EndpointsController { get; }
    public HpaController Autoscaler { get; }
    public CronJobController CronJobController { get; }
    public DisruptionController Disruption { get; }

    /// <summary>Whether Events are recorded (the bench can turn them off to measure the pod path alone).</summary>
    public bool RecordEvents { get; set; } = true;

    /// <summary>Stopwatch ticks spent handling events, timers, scheduling passes and controller reconciles (for the bench).</summary>
    public long[] Spent { get; } = new long[4];

    /// <summary>Monotonic milliseconds.</summary>
    public static long NowMs => Environment.TickCount64;

    public void Start()
    {
        Service.GracefulPodDeletion = true;
        SetFaults(Cluster.Options.Faults);
        _subscription = Store.Subscribe(null, null, null, initial: true);
        var first = _subscription;
        _tasks.Add(Task.Run(() => PumpAsync(first)));
        _tasks.Add(Task.Run(async () =>
        {
            using var tick = new PeriodicTimer(TimeSpan.FromMilliseconds(20));
            try
            {
                while (await tick.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false))
                {
                    _work.Writer.TryWrite(null);
                }
            }
            catch (OperationCanceledException)
            {
            }
        }));
        _tasks.Add(Task.Run(() => LoopAsync(first.Initial)));
    }

    /// <summary>
    /// Moves store events to the loop. When the store closes the subscription (a fault injection dropping every watch, or
    /// falling behind), subscribes again from the last seen resourceVersion, or with a fresh initial list if that is gone.
    /// </summary>
    private async Task PumpAsync(StoreSubscription sub)
    {
        var last = sub.StartResourceVersion;
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await foreach (var e in sub.Events.ReadAllAsync(_stop.Token).ConfigureAwait(false))
                {
                    last = e.ResourceVersion;
                    _work.Writer.TryWrite(e);
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (SubscriberTooSlowException)
            {
                Console.Error.WriteLine("sandbox simulation: store subscription fell behind; subscribing again");
            }

            if (_stop.IsCancellationRequested)
            {
                return;
            }

            try
            {
                sub = Store.Subscribe(null, null, last, initial: false);
            }
            catch (ApiException)
            {
                sub = Store.Subscribe(null, null, null, initial: true);
                foreach (var o in sub.Initial)
                {
                    _work.Writer.TryWrite(new StoreEvent("MODIFIED", o, null));
                }
            }

            _subscription = sub;
        }
    }

    private async Task LoopAsync(IReadOnlyList<StoredObject> initial)
    {
        foreach (var o in initial)
        {
            Guard(() => Dispatch(new StoreEvent("ADDED", o, null)));
        }

        AfterBatch();
        After(NodeStatus.HeartbeatSeconds, NodeStatus.Heartbeat);
        After(15, Autoscaler.Sync);
        After(1, CronJobController.Sync);
        var reader = _work.Reader;
        try
        {
            while (await reader.WaitToReadAsync(_stop.Token).ConfigureAwait(false))
            {
                var n = 0;
                var t0 = System.Diagnostics.Stopwatch.GetTimestamp();
                while (n < 5000 && reader.TryRead(out var e))
                {
                    if (e is not null)
                    {
                        n++;
                        Guard(() => Dispatch(e));
                    }
                }

                var t1 = System.Diagnostics.Stopwatch.GetTimestamp();
                RunDueTimers();
                var t2 = System.Diagnostics.Stopwatch.GetTimestamp();
                AfterBatch();
                Spent[0] += t1 - t0;
                Spent[1] += t2 - t1;
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private void Dispatch(StoreEvent e)
    {
        var o = e.Object;
        switch (o.StorageKey)
        {
            case "pods":
                Scheduler.OnPod(e);
                Kubelet.OnPod(e);
                foreach (var owner in o.OwnerUids)
                {
                    _dirtyOwners.Add(owner);
                }

                if (e.Previous is null || e.Type == "DELETED" || e.Previous.Phase != o.Phase || e.Previous.Deleting != o.Deleting || PodReadyChanged(e))
                {
                    _dirtyServiceNamespaces.Add(o.Namespace);
                }

                break;
            case "nodes":
                Scheduler.OnNode(e);
                Kubelet.OnNode(e);
                break;
            case "priorityclasses.scheduling.k8s.io":
                break;
            case "jobs.batch" or "replicasets.apps" or "deployments.apps" or "cronjobs.batch":
                if (e.Type != "DELETED")
                {
                    _dirtyOwners.Add(o.Uid);
                }

                foreach (var owner in o.OwnerUids)
                {
                    _dirtyOwners.Add(owner);
                }

                break;
            case "services" or "poddisruptionbudgets.policy":
                _dirtyServiceNamespaces.Add(o.Namespace);
                break;
        }
    }

    private static bool PodReadyChanged(StoreEvent e) =>
        e.Previous is not null && e.Object.Phase == "Running" && !e.Object.Json.AsSpan().SequenceEqual(e.Previous.Json);

    private void AfterBatch()
    {
        var t0 = System.Diagnostics.Stopwatch.GetTimestamp();
        Guard(Scheduler.SchedulePending);
        var t1 = System.Diagnostics.Stopwatch.GetTimestamp();
        Spent[2] += t1 - t0;
        AfterBatchControllers();
        Spent[3] += System.Diagnostics.Stopwatch.GetTimestamp() - t1;
    }

    private void AfterBatchControllers()
    {
        if (_dirtyOwners.Count > 0)
        {
            var owners = _dirtyOwners.ToArray();
            _dirtyOwners.Clear();
            foreach (var uid in owners)
            {
                var owner = Store.GetByUid(uid);
                switch (owner?.StorageKey)
                {
                    case "jobs.batch":
                        Guard(() => JobController.Reconcile(owner));
                        break;
                    case "replicasets.apps":
                        Guard(() => Workloads.ReconcileReplicaSet(owner));
                        break;
                    case "deployments.apps":
                        Guard(() => Workloads.ReconcileDeployment(owner));
                        break;
                    case "cronjobs.batch":
                        Guard(() => CronJobController.Reconcile(owner));
                        break;
                }
            }
        }

        if (_dirtyServiceNamespaces.Count > 0)
        {
            var namespaces = _dirtyServiceNamespaces.ToArray();
            _dirtyServiceNamespaces.Clear();
            foreach (var ns in namespaces)
            {
                Guard(() => EndpointsController.Reconcile(ns));
                Guard(() => Disruption.Reconcile(ns));
            }
        }
    }

    /// <summary>Marks an owner (job, replica set, deployment) for reconciliation in the next pass.</summary>
    public void Requeue(string uid) => _dirtyOwners.Add(uid);

    private void RunDueTimers()
    {
        while (_posted.TryDequeue(out var posted))
        {
            Guard(posted);
        }

        var now = NowMs;
        while (_timers.TryPeek(out var t, out _) && t.Due <= now)
        {
            _timers.Dequeue();
            Guard(t.Action);
        }
    }

    /// <summary>Runs <paramref name="action"/> on the loop soon; unlike <see cref="After"/>, callable from any thread (real I/O finishing).</summary>
    public void Post(Action action)
    {
        _posted.Enqueue(action);
        _work.Writer.TryWrite(null);
    }

    /// <summary>Runs <paramref name="action"/> on the loop after <paramref name="simulatedSeconds"/> (divided by Speed).</summary>
    public void After(double simulatedSeconds, Action action)
    {
        var due = NowMs + (long)Math.Max(0, simulatedSeconds * 1000 / Speed);
        _timers.Enqueue((action, due), (due, _seq++));
    }

    /// <summary>Runs a step of the simulation; an API conflict or a bug in one object never stops the loop.</summary>
    internal static void Guard(Action action)
    {
        try
        {
            action();
        }
        catch (ApiException)
        {
            // The object changed or went away meanwhile; the next event reconciles again.
        }
#pragma warning disable CA1031 // One bad object must not stop the simulation loop.
        catch (Exception e)
#pragma warning restore CA1031
        {
            Console.Error.WriteLine("sandbox simulation: " + e);
        }
    }

    public static RequestOptions As(string manager, string? subresource = null) => new() { FieldManager = manager, Subresource = subresource, Trusted = true };

    public JsonObject MergePatch(ResourceType t, string? ns, string name, JsonObject patch, string manager, string? subresource = null) =>
        Service.Patch(t, ns, name, "application/merge-patch+json", patch.ToJsonString(), As(manager, subresource));

    public static string Timestamp(DateTime? t = null) => (t ?? DateTime.UtcNow).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _subscription?.Dispose();
        _work.Writer.TryComplete();
        try
        {
            await Task.WhenAll(_tasks).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }
}
