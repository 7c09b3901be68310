using Studio.Domain.Clusters;
using Studio.Domain.Common;

namespace Studio.Domain.InstanceTypes;

/// <summary>
/// Answers "where can pods of this instance type run, and how many?" for a set of nodes — purely, so the catalog, the
/// availability board, the picker and the job and endpoint forms give the same answer.
/// <list type="bullet">
/// <item>A node is <b>eligible</b> when its labels carry the instance type's nodeSelector and the extension-wide one
/// (reference §1.6), and every NoSchedule/NoExecute taint is tolerated by ML workload pods:
/// <c>ml.azure.com/amlarc</c> and <c>ml.azure.com/amlarc-workload</c> always, <c>ml.azure.com/resource-group</c>,
/// <c>ml.azure.com/workspace</c> and <c>ml.azure.com/compute</c> when the value is the context's own; any other taint
/// (including <c>ml.azure.com/amlarc-system</c>) blocks. PreferNoSchedule never blocks.</item>
/// <item>Replicas per node = the minimum over CPU, memory and GPU of ⌊available ÷ pod request⌋, where the pod request is
/// <see cref="InstanceType.PodRequest"/>; "now" uses free capacity, "empty" uses allocatable. A node smaller than the
/// limits (a pod there could never get what it may use) counts no replica: availability never claims replicas that fit
/// nowhere.</item>
/// <item>An instance type bigger than every matching node is a <b>warning</b>, like a selector that matches nothing:
/// nodes can be added (a cluster autoscaler, a new pool), so it may be saved; it cannot run until then.</item>
/// </list>
/// </summary>
public static class FitCalculator
{
    public const string AmlarcTaint = "ml.azure.com/amlarc";
    public const string SystemTaint = "ml.azure.com/amlarc-system";
    public const string WorkloadTaint = "ml.azure.com/amlarc-workload";
    public const string ResourceGroupTaint = "ml.azure.com/resource-group";
    public const string WorkspaceTaint = "ml.azure.com/workspace";
    public const string ComputeTaint = "ml.azure.com/compute";

    /// <summary>Evaluates <paramref name="instanceType"/> on <paramref name="nodes"/>; <paramref name="context"/> defaults to <see cref="FitContext.None"/>.</summary>
    public static FitReport Evaluate(InstanceType instanceType, IReadOnlyCollection<FitNode> nodes, FitContext? context = null)
    {
        ArgumentNullException.ThrowIfNull(instanceType);
        ArgumentNullException.ThrowIfNull(nodes);
        context ??= FitContext.None;
        var errors = new List<Error>();
        var warnings = new List<Error>();

        var selector = new Dictionary<string, string>(instanceType.NodeSelector, StringComparer.Ordinal);
        foreach (var (key, value) in context.ExtensionNodeSelector ?? new Dictionary<string, string>())
        {
            if (selector.TryGetValue(key, out var own) && !string.Equals(own, value, StringComparison.Ordinal))
            {
                errors.Add(Error.Validation(
                    InstanceTypeFields.NodeSelectorKey(key),
                    $"{key}={own} contradicts the extension-wide nodeSelector {key}={value}: ML pods carry both, so no node could match. Use {key}={value} or remove the entry."));
            }
            else
            {
                selector[key] = value;
            }
        }

        var request = instanceType.PodRequest;
        var pairs = selector.ToArray();
        var fits = new List<NodeFit>(nodes.Count);
        var eligible = new List<NodeFit>();
        var pools = new Dictionary<string, (int Nodes, long Now, long Empty, long Gpus)>(StringComparer.Ordinal);
        FitNode? largest = null;
        foreach (var n in nodes)
        {
            var matches = true;
            foreach (var (key, value) in pairs)
            {
                if (!n.Labels.TryGetValue(key, out var v) || !string.Equals(v, value, StringComparison.Ordinal))
                {
                    matches = false;
                    break;
                }
            }

            NodeTaint? blocking = null;
            foreach (var t in n.Taints)
            {
                if (t.Blocks && !Tolerated(t, context))
                {
                    blocking = t;
                    break;
                }
            }

            var roomy = Covers(n.Allocatable, instanceType.Limits);
            var fit = new NodeFit(n, matches, blocking, roomy ? Replicas(n.Free, request) : 0, roomy ? Replicas(n.Allocatable, request) : 0);
            fits.Add(fit);
            if (!fit.Eligible)
            {
                continue;
            }

            eligible.Add(fit);
            var (count, now, empty, gpus) = pools.GetValueOrDefault(n.Pool);
            pools[n.Pool] = (count + 1, now + fit.ReplicasFitNow, empty + fit.ReplicasFitEmpty, gpus + fit.FreeGpus);
            if (largest is null || Larger(n, largest, request))
            {
                largest = n;
            }
        }

        var poolFits = pools
            .OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => new PoolFit(p.Key, p.Value.Nodes, Clamp(p.Value.Now), Clamp(p.Value.Empty), p.Value.Gpus))
            .ToList();

        if (errors.Count == 0)
        {
            if (nodes.Count == 0)
            {
                warnings.Add(Error.Validation(InstanceTypeFields.NodeSelector, "The cluster has no nodes, so nothing can run yet."));
            }
            else if (fits.All(f => !f.MatchesSelector))
            {
                warnings.Add(Error.Validation(InstanceTypeFields.NodeSelector, NoMatch(selector, nodes)));
            }
            else if (eligible.Count == 0)
            {
                var blocked = fits.Where(f => f.MatchesSelector).ToList();
                var taints = blocked.Select(f => f.BlockingTaint!.ToString()).Distinct(StringComparer.Ordinal).Take(3);
                warnings.Add(Error.Validation(
                    InstanceTypeFields.NodeSelector,
                    $"The nodeSelector matches {Nodes(blocked.Count)}, but ML workload pods do not tolerate their taints ({string.Join(", ", taints)}), so nothing can be placed there."));
            }
            else if (largest is not null && eligible.All(f => f.ReplicasFitEmpty == 0))
            {
                // Too big for the requests, or the limits are more than any matching node has.
                var requestFits = Replicas(largest.Allocatable, request) > 0;
                var asked = requestFits ? instanceType.Limits : request;
                var what = requestFits ? "its limits" : "it asks for";
                warnings.Add(Error.Validation(
                    ExceededField(asked, largest.Allocatable, requestFits),
                    $"Exceeds node size: largest matching node has {Describe(largest.Allocatable, asked.Gpus > 0)} allocatable ({what} {Describe(asked, asked.Gpus > 0)}). Nothing can run it until a larger node joins."));
            }
        }

        return new FitReport(instanceType, fits, poolFits, largest, errors, warnings);
    }

    /// <summary>Whether an ML workload pod (of the context's workspace and compute) tolerates <paramref name="taint"/>.</summary>
    public static bool Tolerated(NodeTaint taint, FitContext context)
    {
        ArgumentNullException.ThrowIfNull(taint);
        ArgumentNullException.ThrowIfNull(context);
        return taint.Key switch
        {
            AmlarcTaint or WorkloadTaint => true,
            ResourceGroupTaint => context.ResourceGroup is not null && taint.Value == context.ResourceGroup,
            WorkspaceTaint => context.Workspace is not null && taint.Value == context.Workspace,
            ComputeTaint => context.Compute is not null && taint.Value == context.Compute,
            _ => false,
        };
    }

    /// <summary>How many pods asking for <paramref name="request"/> fit in <paramref name="available"/> (minimum over the dimensions asked for).</summary>
    public static int Replicas(ResourceAmounts available, ResourceAmounts request)
    {
        long fit = long.MaxValue;
        if (request.CpuMillis > 0)
        {
            fit = Math.Min(fit, Math.Max(0, available.CpuMillis) / request.CpuMillis);
        }

        if (request.MemoryBytes > 0)
        {
            fit = Math.Min(fit, Math.Max(0, available.MemoryBytes) / request.MemoryBytes);
        }

        if (request.Gpus > 0)
        {
            fit = Math.Min(fit, Math.Max(0, available.Gpus) / request.Gpus);
        }

        return fit == long.MaxValue ? 0 : (int)Math.Min(int.MaxValue, fit);
    }

    private static string ExceededField(ResourceAmounts asked, ResourceAmounts node, bool limits) =>
        asked.Gpus > node.Gpus ? InstanceTypeFields.LimitGpu
        : asked.CpuMillis > node.CpuMillis ? (limits ? InstanceTypeFields.LimitCpu : InstanceTypeFields.RequestCpu)
        : limits ? InstanceTypeFields.LimitMemory : InstanceTypeFields.RequestMemory;

    /// <summary>Whether a node has at least the limits (CPU, memory, GPUs) a pod may use.</summary>
    private static bool Covers(ResourceAmounts allocatable, ResourceAmounts limits) =>
        limits.CpuMillis <= allocatable.CpuMillis && limits.MemoryBytes <= allocatable.MemoryBytes && limits.Gpus <= allocatable.Gpus;

    private static string Describe(ResourceAmounts amounts, bool withGpus)
    {
        var text = $"{HumanUnits.Cpu(amounts.CpuMillis)} / {HumanUnits.Bytes(amounts.MemoryBytes)}";
        return withGpus ? $"{text} / {HumanUnits.Gpus(amounts.Gpus)}" : text;
    }

    private static string NoMatch(IReadOnlyDictionary<string, string> selector, IReadOnlyCollection<FitNode> nodes)
    {
        var closest = nodes
            .Select(n => (Node: n, Matched: selector.Count(p => n.Labels.TryGetValue(p.Key, out var v) && v == p.Value)))
            .OrderByDescending(x => x.Matched)
            .ThenBy(x => x.Node.Name, StringComparer.Ordinal)
            .First();
        var hints = new List<string>();
        foreach (var (key, value) in selector.Where(p => !(closest.Node.Labels.TryGetValue(p.Key, out var v) && v == p.Value)))
        {
            var values = nodes.Select(n => n.Labels.GetValueOrDefault(key)).OfType<string>().Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            if (values.Count > 0)
            {
                hints.Add($"no node has {key}={value}; nodes carry {key}={string.Join(", ", values.Take(5))}{(values.Count > 5 ? ", …" : string.Empty)}");
            }
            else
            {
                var similar = nodes.SelectMany(n => n.Labels.Keys).Distinct(StringComparer.Ordinal)
                    .Select(k => (Key: k, Distance: Distance(k, key)))
                    .Where(x => x.Distance <= Math.Max(3, key.Length / 4))
                    .OrderBy(x => x.Distance).ThenBy(x => x.Key, StringComparer.Ordinal)
                    .Select(x => x.Key).FirstOrDefault();
                hints.Add(similar is null ? $"no node carries the label {key}" : $"no node carries the label {key} (did you mean {similar}?)");
            }
        }

        return $"The nodeSelector matches no node: {string.Join("; ", hints)}. Closest node: {closest.Node.Name} (pool {closest.Node.Pool}) matches {closest.Matched} of {selector.Count} labels.";
    }

    private static string Nodes(int count) => count == 1 ? "1 node" : $"{count} nodes";

    private static int Clamp(long value) => (int)Math.Min(int.MaxValue, value);

    /// <summary>The "largest" node: one with enough GPUs first, then most CPU, most memory, then by name.</summary>
    private static bool Larger(FitNode a, FitNode b, ResourceAmounts request)
    {
        var aGpus = a.Allocatable.Gpus >= request.Gpus;
        var bGpus = b.Allocatable.Gpus >= request.Gpus;
        if (aGpus != bGpus)
        {
            return aGpus;
        }

        if (a.Allocatable.CpuMillis != b.Allocatable.CpuMillis)
        {
            return a.Allocatable.CpuMillis > b.Allocatable.CpuMillis;
        }

        return a.Allocatable.MemoryBytes != b.Allocatable.MemoryBytes
            ? a.Allocatable.MemoryBytes > b.Allocatable.MemoryBytes
            : string.CompareOrdinal(a.Name, b.Name) < 0;
    }

    private static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
