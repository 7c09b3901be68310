using System.Globalization;
using System.Text.Json.Nodes;
using Studio.Sandbox.Storage;

namespace Studio.Sandbox.Simulation;

/// <summary>
/// The simulated kubelets of every node: pod sandbox and image pull (ErrImagePull/ImagePullBackOff), container start,
/// readiness and liveness, run time, exit codes, OOMKilled, CrashLoopBackOff, restart policies, activeDeadlineSeconds,
/// graceful deletion, and eviction from NotReady nodes. Behaviour comes from <see cref="WorkloadRules"/>.
/// </summary>
internal sealed partial class Kubelet
{
    public const string Component = "kubelet";
    private readonly Simulator _sim;
    private readonly Dictionary<string, PodRun> _runs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _hostIps = new(StringComparer.Ordinal);
    private readonly HashSet<string> _notReady = new(StringComparer.Ordinal);
    private readonly LogGenerator _logs;
    private int _ipCounter;

    public Kubelet(Simulator sim)
    {
        _sim = sim;
        _logs = new LogGenerator(sim);
    }

    /// <summary>Image names that fail to pull (a fault); checked at each pull.</summary>
    public Func<string, bool>? ImageFails { get; set; }

    /// <summary>Seconds (simulated) after a node turns NotReady before its pods are evicted (tolerationSeconds default).</summary>
    public double EvictionSeconds { get; set; } = 300;

    public int RunningCount => _runs.Count;

    public void OnNode(StoreEvent e)
    {
        var name = e.Object.Name;
        if (e.Type == "DELETED")
        {
            _notReady.Remove(name);
            return;
        }

        var node = e.Object.ToJsonObject();
        if ((node["status"]?["addresses"] as JsonArray ?? []).OfType<JsonObject>().FirstOrDefault(a => (string?)a["type"] == "InternalIP") is { } addr)
        {
            _hostIps[name] = (string?)addr["address"] ?? "";
        }

        var ready = (node["status"]?["conditions"] as JsonArray ?? []).OfType<JsonObject>().Any(c => (string?)c["type"] == "Ready" && (string?)c["status"] == "True");
        if (!ready && _notReady.Add(name))
        {
            foreach (var run in _runs.Values.Where(r => r.Node == name && !r.Terminal))
            {
                foreach (var c in run.Containers)
                {
                    c.Ready = false;
                }

                WriteStatus(run);
            }

            _sim.After(EvictionSeconds, () => Evict(name));
        }
        else if (ready)
        {
            _notReady.Remove(name);
        }
    }

    private void Evict(string node)
    {
        if (!_notReady.Contains(node))
        {
            return;
        }

        foreach (var run in _runs.Values.Where(r => r.Node == node && !r.Terminating).ToList())
        {
            if (_sim.Store.Get("pods", run.Namespace, run.Name) is { } pod)
            {
                _sim.Recorder.Record(pod, "Pod", "v1", "Normal", "TaintManagerEviction", $"Marking for deletion Pod {run.Namespace}/{run.Name}", "taint-eviction-controller");
                _sim.Service.Delete(_sim.Pods, run.Namespace, run.Name, Simulator.As("node-lifecycle-controller"));
            }
        }
    }

    public void OnPod(StoreEvent e)
    {
        var o = e.Object;
        if (e.Type == "DELETED")
        {
            if (_runs.Remove(o.Key, out var gone))
            {
                foreach (var c in gone.Containers)
                {
                    c.Epoch++;
                }
            }

            _sim.Logs.Forget(o.Namespace, o.Name);
            return;
        }

        if (o.NodeName is not { Length: > 0 } node)
        {
            return;
        }

        _runs.TryGetValue(o.Key, out var run);
        if (run is not null && run.Uid != o.Uid)
        {
            _runs.Remove(o.Key);
            run = null;
        }

        if (o.Deleting)
        {
            if (run is null || !run.Terminating)
            {
                Terminate(o, run);
            }

            return;
        }

        if (run is null && o.Phase is not ("Succeeded" or "Failed"))
        {
            Start(o, node);
        }
    }

    private void Terminate(StoredObject pod, PodRun? run)
    {
        var grace = 1.0;
        if (run is not null)
        {
            run.Terminating = true;
            foreach (var c in run.Containers)
            {
                c.Epoch++;
                if (c.State == "running" && !run.Terminal)
                {
                    _sim.Recorder.Record(pod, "Pod", "v1", "Normal", "Killing", $"Stopping container {c.Name}", Component, run.Node, $"spec.containers{{{c.Name}}}");
                }
            }

            if (run.Terminal)
            {
                grace = 0;
            }
        }

        var uid = pod.Uid;
        _sim.After(grace, () =>
        {
            if (_sim.Store.Get("pods", pod.Namespace, pod.Name) is { } current && current.Uid == uid)
            {
                _sim.Service.Delete(_sim.Pods, pod.Namespace, pod.Name, new Api.RequestOptions { GracePeriodSeconds = 0, FieldManager = Component });
            }
        });
    }

    private void Start(StoredObject stored, string node)
    {
        var pod = stored.ToJsonObject();
        var n = ++_ipCounter;
        var podIp = $"10.{244 + (n >> 16)}.{(n >> 8) & 255}.{((n & 255) == 0 ? 1 : n & 255)}";
        var run = PodRun.Start(stored, pod, node, _hostIps.GetValueOrDefault(node, "10.224.0.4"), podIp, ImageFails);
        _runs[run.Key] = run;
        WriteStatus(run);
        if (run.InitContainers.Count > 0)
        {
            StartInit(run, stored, 0);
        }
        else
        {
            StartMain(run, stored);
        }

        if ((long?)pod["spec"]?["activeDeadlineSeconds"] is { } ads)
        {
            _sim.After(ads, () => DeadlineExceeded(run));
        }
    }

    private bool Current(PodRun run, ContainerRun c, int epoch) => c.Epoch == epoch && !run.Terminating && !run.Terminal && _runs.GetValueOrDefault(run.Key) == run;

    private void Pulled(PodRun run, ContainerRun c, int epoch)
    {
        if (!Current(run, c, epoch))
        {
            return;
        }

        var pod = _sim.Store.Get("pods", run.Namespace, run.Name);
        if (pod is null)
        {
            return;
        }

        var missing = c.Rule.ImageMissing || (ImageFails?.Invoke(c.Image) ?? false) || NeverPushed(c.Image);
        if (c.PullFailures > 0 && !missing)
        {
            missing = WorkloadRules.Resolve(pod.ToJsonObject(), FindContainer(pod, c.Name), ImageFails).ImageMissing;
        }

        if (missing)
        {
            c.PullFailures++;
            c.State = "waiting";
            c.Reason = "ErrImagePull";
            c.Message = $"failed to pull and unpack image \"{c.Image}\": failed to resolve reference \"{c.Image}\": not found";
            _sim.Recorder.Record(pod, "Pod", "v1", "Warning", "Failed", $"Failed to pull image \"{c.Image}\": rpc error: code = NotFound desc = {c.Message}", Component, run.Node, $"spec.containers{{{c.Name}}}");
            _sim.Recorder.Record(pod, "Pod", "v1", "Warning", "Failed", "Error: ErrImagePull", Component, run.Node, $"spec.containers{{{c.Name}}}");
            WriteStatus(run);
            _sim.After(2, () =>
            {
                if (!Current(run, c, epoch))
                {
                    return;
                }

                c.Reason = "ImagePullBackOff";
                c.Message = $"Back-off pulling image \"{c.Image}\"";
                _sim.Recorder.Record(pod, "Pod", "v1", "Normal", "BackOff", c.Message, Component, run.Node, $"spec.containers{{{c.Name}}}");
                _sim.Recorder.Record(pod, "Pod", "v1", "Warning", "Failed", "Error: ImagePullBackOff", Component, run.Node, $"spec.containers{{{c.Name}}}");
                WriteStatus(run);
                _sim.After(Math.Min(300, 10 * Math.Pow(2, c.PullFailures - 1)), () => Pulled(run, c, epoch));
            });
            return;
        }

        _sim.Recorder.Record(pod, "Pod", "v1", "Normal", "Pulled", $"Successfully pulled image \"{c.Image}\" in {c.Rule.PullSeconds:0.###}s ({c.Rule.PullSeconds:0.###}s including waiting). Image size: 52428800 bytes.", Component, run.Node, $"spec.containers{{{c.Name}}}");
        StartContainer(run, c, pod);
    }

    private static JsonObject FindContainer(StoredObject pod, string name) =>
        (pod.ToJsonObject()["spec"]?["containers"] as JsonArray ?? []).OfType<JsonObject>().FirstOrDefault(x => (string?)x["name"] == name) ?? [];

    private void StartContainer(PodRun run, ContainerRun c, StoredObject pod)
    {
        var epoch = ++c.Epoch;
        c.Attempt++;
        c.State = "running";
        c.Reason = null;
        c.Message = null;
        c.StartedAt = Simulator.Timestamp();
        c.ContainerId = "containerd://" + Names.Fnv(run.Uid + c.Name + c.Attempt).ToString("x16", CultureInfo.InvariantCulture) + Names.Fnv(c.Name + run.Uid).ToString("x16", CultureInfo.InvariantCulture);
        c.Ready = !c.Rule.ReadinessFails && c.Rule.ReadyAfterSeconds <= 0;
        _sim.Recorder.Record(pod, "Pod", "v1", "Normal", "Created", $"Created container: {c.Name}", Component, run.Node, $"spec.containers{{{c.Name}}}");
        _sim.Recorder.Record(pod, "Pod", "v1", "Normal", "Started", $"Started container {c.Name}", Component, run.Node, $"spec.containers{{{c.Name}}}");
        run.UpdatePhase();
        WriteStatus(run);
        if (PrepareEnvironment(run, c, pod, epoch) || BuildImage(run, c, pod, epoch))
        {
            return;
        }

        _logs.Started(run, c, () => Current(run, c, epoch) && c.State == "running");

        if (!c.Ready && !c.Rule.ReadinessFails)
        {
            _sim.After(c.Rule.ReadyAfterSeconds, () =>
            {
                if (Current(run, c, epoch) && c.State == "running")
                {
                    c.Ready = true;
                    WriteStatus(run);
                }
            });
        }
        else if (c.Rule.ReadinessFails)
        {
            _sim.After(Math.Max(1, c.Rule.ReadyAfterSeconds), () =>
            {
                if (Current(run, c, epoch))
                {
                    _sim.Recorder.Record(pod, "Pod", "v1", "Warning", "Unhealthy", "Readiness probe failed: HTTP probe failed with statuscode: 503", Component, run.Node, $"spec.containers{{{c.Name}}}");
                }
            });
        }

        var oom = c.MemoryLimit > 0 && c.Rule.MemoryBytes > c.MemoryLimit;
        var failing = c.Attempt <= c.Rule.FailTimes;
        if (oom)
        {
            var at = c.Rule.RunSeconds is { } rs ? Math.Min(rs / 2, 3) : 3;
            _sim.After(at, () =>
            {
                if (Current(run, c, epoch))
                {
                    EndContainer(run, c, 137, "OOMKilled");
                }
            });
        }
        else if (c.Rule.LivenessFailsAfterSeconds is { } lf && (c.Rule.RunSeconds is null || lf < c.Rule.RunSeconds))
        {
            _sim.After(lf, () =>
            {
                if (Current(run, c, epoch))
                {
                    _sim.Recorder.Record(pod, "Pod", "v1", "Warning", "Unhealthy", "Liveness probe failed: HTTP probe failed with statuscode: 500", Component, run.Node, $"spec.containers{{{c.Name}}}");
                    _sim.Recorder.Record(pod, "Pod", "v1", "Normal", "Killing", $"Container {c.Name} failed liveness probe, will be restarted", Component, run.Node, $"spec.containers{{{c.Name}}}");
                    EndContainer(run, c, 137, "Error");
                }
            });
        }
        else if (failing)
        {
            _sim.After(c.Rule.RunSeconds is { } rs ? Math.Min(rs, 2) : 2, () =>
            {
                if (Current(run, c, epoch))
                {
                    EndContainer(run, c, 1, "Error");
                }
            });
        }
        else if (c.Rule.RunSeconds is { } seconds)
        {
            _sim.After(seconds, () =>
            {
                if (Current(run, c, epoch))
                {
                    EndContainer(run, c, c.Rule.ExitCode, c.Rule.ExitCode == 0 ? "Completed" : "Error");
                }
            });
        }
    }

    private void EndContainer(PodRun run, ContainerRun c, int exitCode, string reason)
    {
        var epoch = ++c.Epoch;
        c.State = "terminated";
        c.ExitCode = exitCode;
        c.Reason = reason;
        c.Ready = false;
        c.FinishedAt = Simulator.Timestamp();
        _logs.Finished(run, c);
        var restart = run.RestartPolicy == "Always" || (run.RestartPolicy == "OnFailure" && exitCode != 0);
        if (restart)
        {
            c.LastTerminated = PodStatusJson.Terminated(c);
            var backoff = Math.Min(300, 10 * Math.Pow(2, Math.Min(c.RestartCount, 5)));
            c.State = "waiting";
            c.Reason = "CrashLoopBackOff";
            c.Message = $"back-off {backoff:0}s restarting failed container={c.Name} pod={run.Name}_{run.Namespace}({run.Uid})";
            if (_sim.Store.Get("pods", run.Namespace, run.Name) is { } pod)
            {
                _sim.Recorder.Record(pod, "Pod", "v1", "Warning", "BackOff", "Back-off restarting failed container " + c.Name + " in pod " + run.Name + "_" + run.Namespace + "(" + run.Uid + ")", Component, run.Node, $"spec.containers{{{c.Name}}}");
            }

            run.UpdatePhase();
            WriteStatus(run);
            _sim.After(backoff, () =>
            {
                if (Current(run, c, epoch) && _sim.Store.Get("pods", run.Namespace, run.Name) is { } p)
                {
                    c.RestartCount++;
                    _sim.Logs.Restarted(run.Namespace, run.Name, c.Name);
                    StartContainer(run, c, p);
                }
            });
            return;
        }

        run.UpdatePhase();
        WriteStatus(run);
        if (run.Containers.All(m => m.State == "terminated"))
        {
            StopSidecars(run);
        }
    }

    private void DeadlineExceeded(PodRun run)
    {
        if (run.Terminal || run.Terminating || _runs.GetValueOrDefault(run.Key) != run)
        {
            return;
        }

        foreach (var c in run.Containers)
        {
            c.Epoch++;
            if (c.State != "terminated")
            {
                c.State = "terminated";
                c.ExitCode = 137;
                c.Reason = "Error";
                c.FinishedAt = Simulator.Timestamp();
                c.Ready = false;
            }
        }

        run.Phase = "Failed";
        run.Reason = "DeadlineExceeded";
        run.Message = "Pod was active on the node longer than the specified deadline";
        if (_sim.Store.Get("pods", run.Namespace, run.Name) is { } pod)
        {
            _sim.Recorder.Record(pod, "Pod", "v1", "Normal", "DeadlineExceeded", run.Message, Component, run.Node);
        }

        WriteStatus(run);
    }

    private void WriteStatus(PodRun run) =>
        FastWrites.PodStatus(_sim.Store, run.Namespace, run.Name, PodStatusJson.Build(run, _notReady.Contains(run.Node)), Component);
}
