using System.Globalization;
using System.Text.Json.Nodes;
using Studio.Sandbox.Storage;

namespace Studio.Sandbox.Simulation;

/// <summary>
/// A default-scheduler lookalike: filters (unschedulable, taints/tolerations, node selector and required node affinity,
/// resource fit for cpu, memory, nvidia.com/gpu and pods), least-allocated or most-allocated scoring, priority order,
/// preemption of lower-priority pods and all-or-nothing gang placement for pod groups.
/// </summary>
internal sealed partial class Scheduler
{
    public const string Component = "default-scheduler";
    public const string PodGroupLabel = "scheduling.x-k8s.io/pod-group";
    public const string MinMemberAnnotation = "scheduling.x-k8s.io/min-member";

    private readonly Simulator _sim;
    private readonly Dictionary<string, NodeState> _nodes = new(StringComparer.Ordinal);
    private readonly List<NodeState> _nodeList = [];
    private readonly Dictionary<string, BoundPod> _bound = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PendingPod> _pending = new(StringComparer.Ordinal);
    private long _seq;
    private int _next;
    private bool _capacityChanged;
    private long _lastRetryMs;

    public Scheduler(Simulator sim) => _sim = sim;

    /// <summary>LeastAllocated (spread, the default) or MostAllocated (bin packing).</summary>
    public string Scoring { get; set; } = "LeastAllocated";

    public int PendingCount => _pending.Count;

    public void OnNode(StoreEvent e)
    {
        var name = e.Object.Name;
        if (e.Type == "DELETED")
        {
            if (_nodes.Remove(name, out var gone))
            {
                _nodeList.Remove(gone);
            }

            _capacityChanged = true;
            return;
        }

        if (!_nodes.TryGetValue(name, out var n))
        {
            n = new NodeState(name);
            _nodes[name] = n;
            _nodeList.Add(n);
        }

        var node = e.Object.ToJsonObject();
        n.Labels = (node["metadata"]?["labels"] as JsonObject)?.ToDictionary(kv => kv.Key, kv => kv.Value?.ToString() ?? "", StringComparer.Ordinal) ?? new(StringComparer.Ordinal);
        n.Taints = [.. (node["spec"]?["taints"] as JsonArray ?? []).OfType<JsonObject>().Select(t => new Taint((string?)t["key"] ?? "", (string?)t["value"] ?? "", (string?)t["effect"] ?? ""))];
        n.Unschedulable = (bool?)node["spec"]?["unschedulable"] ?? false;
        n.Allocatable = ResourceAmounts.FromList(node["status"]?["allocatable"]);
        var wasReady = n.Ready;
        n.Ready = (node["status"]?["conditions"] as JsonArray ?? []).OfType<JsonObject>().Any(c => (string?)c["type"] == "Ready" && (string?)c["status"] == "True");
        var signature = string.Join('|', n.Labels.Select(kv => kv.Key + "=" + kv.Value)) + "|" + string.Join(',', n.Taints) + "|" + n.Unschedulable + "|" + n.Allocatable + "|" + n.Ready;
        if (e.Type == "ADDED" || signature != n.Signature || wasReady != n.Ready)
        {
            // A heartbeat alone changes nothing the scheduler looks at.
            _capacityChanged = true;
        }

        n.Signature = signature;
    }

    public void OnPod(StoreEvent e)
    {
        var o = e.Object;
        var key = o.Key;
        var gone = e.Type == "DELETED" || o.Phase is "Succeeded" or "Failed";
        if (gone)
        {
            Release(key);
            _pending.Remove(key);
            return;
        }

        if (o.NodeName is { Length: > 0 } nodeName)
        {
            _pending.Remove(key);
            if (!_bound.ContainsKey(key))
            {
                var pod = o.ToJsonObject();
                Account(new BoundPod(key, o.Namespace, o.Name, o.Uid, PriorityOf(pod), ResourceAmounts.OfPod(pod), nodeName));
            }

            return;
        }

        if (o.Deleting)
        {
            _pending.Remove(key);
            return;
        }

        if (!_pending.ContainsKey(key))
        {
            var pod = o.ToJsonObject();
            var schedulerName = (string?)pod["spec"]?["schedulerName"];
            if (schedulerName is not (null or Component))
            {
                return;
            }

            _pending[key] = new PendingPod(key, o.Namespace, o.Name, _seq++)
            {
                Priority = PriorityOf(pod),
                Group = o.Label(PodGroupLabel),
            };
        }
    }

    private void Account(BoundPod p)
    {
        _bound[p.Key] = p;
        if (_nodes.TryGetValue(p.Node, out var n))
        {
            n.Requested += p.Requests;
            n.Pods[p.Key] = p;
        }
    }

    private void Release(string key)
    {
        if (_bound.Remove(key, out var p))
        {
            if (_nodes.TryGetValue(p.Node, out var n) && n.Pods.Remove(key))
            {
                n.Requested -= p.Requests;
            }

            _capacityChanged = true;
        }
    }

    private int PriorityOf(JsonObject pod)
    {
        if (pod["spec"]?["priority"] is JsonValue v && v.TryGetValue<int>(out var p))
        {
            return p;
        }

        if ((string?)pod["spec"]?["priorityClassName"] is { Length: > 0 } pc
            && _sim.Store.Get("priorityclasses.scheduling.k8s.io", null, pc) is { } cls
            && cls.ToJsonObject()["value"] is JsonValue value && value.TryGetValue<int>(out var pv))
        {
            return pv;
        }

        return 0;
    }

    /// <summary>One scheduling pass over the queue (new pods, and unschedulable pods again when capacity changed).</summary>
    public void SchedulePending()
    {
        if (_pending.Count == 0)
        {
            _capacityChanged = false;
            return;
        }

        var retryAll = _capacityChanged || Simulator.NowMs - _lastRetryMs > 10_000 / _sim.Speed;
        _capacityChanged = false;
        if (retryAll)
        {
            _lastRetryMs = Simulator.NowMs;
        }

        var queue = _pending.Values.Where(p => retryAll || !p.Unschedulable).OrderByDescending(p => p.Priority).ThenBy(p => p.Seq).ToList();
        var groupsDone = new HashSet<string>(StringComparer.Ordinal);
        foreach (var p in queue)
        {
            if (!_pending.ContainsKey(p.Key))
            {
                continue;
            }

            if (p.Group is not null)
            {
                if (groupsDone.Add(p.Namespace + "/" + p.Group))
                {
                    ScheduleGroup(p.Namespace, p.Group);
                }

                continue;
            }

            var pod = _sim.Store.Get("pods", p.Namespace, p.Name);
            if (pod is null || pod.NodeName is not null || pod.Deleting)
            {
                _pending.Remove(p.Key);
                continue;
            }

            try
            {
                var req = new PodRequirements(pod.ToJsonObject()) { Priority = p.Priority };
                var (node, message) = FindNode(req);
                if (node is not null)
                {
                    Bind(p, pod, req, node);
                }
                else if (!TryPreempt(p, pod, req))
                {
                    MarkUnschedulable(p, pod, message);
                }
            }
            catch (Api.ApiException)
            {
                // Changed or deleted meanwhile; its next event queues it again.
                _pending.Remove(p.Key);
            }
#pragma warning disable CA1031 // One malformed pod must not stall the queue.
            catch (Exception e)
#pragma warning restore CA1031
            {
                Console.Error.WriteLine($"sandbox scheduler: cannot schedule {p.Key}: {e.Message}");
                _pending.Remove(p.Key);
            }
        }
    }

    private (NodeState? Node, string Message) FindNode(PodRequirements req)
    {
        var total = _nodeList.Count;
        if (total == 0)
        {
            return (null, "no nodes available to schedule pods");
        }

        var wanted = total < 100 ? total : Math.Max(100, total * Math.Max(5, 50 - (total / 125)) / 100);
        var feasible = new List<NodeState>(Math.Min(wanted, 128));
        Dictionary<string, int>? reasons = null;
        var start = _next;
        var visited = 0;
        for (; visited < total && feasible.Count < wanted; visited++)
        {
            var n = _nodeList[(start + visited) % total];
            var fails = Filter(n, req, null);
            if (fails is null)
            {
                feasible.Add(n);
            }
            else
            {
                reasons ??= new(StringComparer.Ordinal);
                foreach (var r in fails)
                {
                    reasons[r] = reasons.GetValueOrDefault(r) + 1;
                }
            }
        }

        _next = (start + visited) % total;
        if (feasible.Count == 0)
        {
            var parts = reasons!.Select(kv => kv.Value.ToString(CultureInfo.InvariantCulture) + " " + kv.Key).Order(StringComparer.Ordinal);
            return (null, $"0/{total} nodes are available: {string.Join(", ", parts)}.");
        }

        NodeState? best = null;
        var bestScore = double.MinValue;
        foreach (var n in feasible)
        {
            var s = Score(n, req.Requests);
            if (s > bestScore)
            {
                bestScore = s;
                best = n;
            }
        }

        return (best, "");
    }

    private double Score(NodeState n, ResourceAmounts r)
    {
        static double Free(long alloc, long used) => alloc <= 0 ? 0 : Math.Clamp((alloc - used) / (double)alloc, 0, 1);
        var free = (Free(n.Allocatable.Cpu, n.Requested.Cpu + r.Cpu) + Free(n.Allocatable.Memory, n.Requested.Memory + r.Memory)) / 2;
        return Scoring == "MostAllocated" ? 1 - free : free;
    }

    /// <summary>Why <paramref name="n"/> cannot take the pod (null when it can), as kube-scheduler words the reasons.</summary>
    internal static List<string>? Filter(NodeState n, PodRequirements req, ResourceAmounts? requestedOverride)
    {
        if (n.Unschedulable && !req.Tolerates(new Taint("node.kubernetes.io/unschedulable", "", "NoSchedule")))
        {
            return ["node(s) were unschedulable"];
        }

        if (!n.Ready && !req.Tolerates(new Taint("node.kubernetes.io/not-ready", "", "NoSchedule")))
        {
            return ["node(s) had untolerated taint {node.kubernetes.io/not-ready: }"];
        }

        foreach (var t in n.Taints)
        {
            if (t.Effect is "NoSchedule" or "NoExecute" && !req.Tolerates(t))
            {
                return ["node(s) had untolerated taint {" + t.Key + ": " + t.Value + "}"];
            }
        }

        if (!req.MatchesNode(n))
        {
            return ["node(s) didn't match Pod's node affinity/selector"];
        }

        var used = requestedOverride ?? n.Requested;
        var r = req.Requests;
        List<string>? fit = null;
        if (used.Pods + 1 > n.Allocatable.Pods)
        {
            (fit ??= []).Add("Too many pods");
        }

        if (r.Cpu > 0 && used.Cpu + r.Cpu > n.Allocatable.Cpu)
        {
            (fit ??= []).Add("Insufficient cpu");
        }

        if (r.Memory > 0 && used.Memory + r.Memory > n.Allocatable.Memory)
        {
            (fit ??= []).Add("Insufficient memory");
        }

        if (r.Gpu > 0 && used.Gpu + r.Gpu > n.Allocatable.Gpu)
        {
            (fit ??= []).Add("Insufficient " + ResourceAmounts.GpuName);
        }

        return fit;
    }

    private static bool OnlyResourceReasons(List<string> reasons) => reasons.All(r => r.StartsWith("Insufficient", StringComparison.Ordinal) || r == "Too many pods");

    private void Bind(PendingPod p, StoredObject pod, PodRequirements req, NodeState node)
    {
        FastWrites.Bind(_sim.Store, p.Namespace, p.Name, node.Name, Component);
        _pending.Remove(p.Key);
        Account(new BoundPod(p.Key, p.Namespace, p.Name, pod.Uid, req.Priority, req.Requests, node.Name));
        _sim.Recorder.Record(pod, "Pod", "v1", "Normal", "Scheduled", $"Successfully assigned {p.Namespace}/{p.Name} to {node.Name}", Component);
    }

    private void MarkUnschedulable(PendingPod p, StoredObject pod, string message)
    {
        p.Unschedulable = true;
        if (p.LastMessage == message)
        {
            return;
        }

        p.LastMessage = message;
        var now = Simulator.Timestamp();
        _sim.MergePatch(_sim.Pods, p.Namespace, p.Name, new JsonObject
        {
            ["status"] = new JsonObject
            {
                ["phase"] = "Pending",
                ["conditions"] = new JsonArray(new JsonObject
                {
                    ["type"] = "PodScheduled",
                    ["status"] = "False",
                    ["reason"] = "Unschedulable",
                    ["message"] = message,
                    ["lastProbeTime"] = null,
                    ["lastTransitionTime"] = now,
                }),
            },
        }, Component, "status");
        _sim.Recorder.Record(pod, "Pod", "v1", "Warning", "FailedScheduling", message, Component);
    }
}
