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
/// <see cref="InstanceType.PodRequest"/>; "now" uses free capacity, "empty" uses allocatable.</item>
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
        var fits = nodes
            .Select(n =>
            {
                var matches = selector.All(p => n.Labels.TryGetValue(p.Key, out var v) && string.Equals(v, p.Value, StringComparison.Ordinal));
                var blocking = n.Taints.FirstOrDefault(t => t.Blocks && !Tolerated(t, context));
                return new NodeFit(n, matches, blocking, Replicas(n.Free, request), Replicas(n.Allocatable, request));
            })
            .OrderBy(f => f.Node.Pool, StringComparer.Ordinal)
            .ThenBy(f => f.Node.Name, StringComparer.Ordinal)
            .ToList();

        var eligible = fits.Where(f => f.Eligible).ToList();
        var pools = eligible
            .GroupBy(f => f.Node.Pool, StringComparer.Ordinal)
            .Select(g => new PoolFit(g.Key, g.Count(), Sum(g.Select(f => f.ReplicasFitNow)), Sum(g.Select(f => f.ReplicasFitEmpty)), g.Sum(f => f.FreeGpus)))
            .ToList();
        var largest = eligible
            .Select(f => f.Node)
            .OrderByDescending(n => n.Allocatable.Gpus >= request.Gpus)
            .ThenByDescending(n => n.Allocatable.CpuMillis)
            .ThenByDescending(n => n.Allocatable.MemoryBytes)
            .ThenBy(n => n.Name, StringComparer.Ordinal)
            .FirstOrDefault();

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
                errors.Add(Error.Validation(ExceededField(request, largest.Allocatable), $"Exceeds node size: largest matching node has {Describe(largest.Allocatable, request.Gpus > 0)} allocatable (it asks for {Describe(request, request.Gpus > 0)})."));
            }
        }

        return new FitReport(instanceType, fits, pools, largest, errors, warnings);
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

    private static string ExceededField(ResourceAmounts request, ResourceAmounts node) =>
        request.Gpus > node.Gpus ? InstanceTypeFields.LimitGpu
        : request.CpuMillis > node.CpuMillis ? InstanceTypeFields.RequestCpu
        : InstanceTypeFields.RequestMemory;

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

    private static int Sum(IEnumerable<int> values) => (int)Math.Min(int.MaxValue, values.Sum(v => (long)v));

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
