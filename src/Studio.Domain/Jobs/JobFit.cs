using System.Globalization;
using Studio.Domain.Clusters;

namespace Studio.Domain.Jobs;

/// <summary>
/// Pure fit calculation for a job's pods: which nodes match the instance type's nodeSelector (taints with
/// NoSchedule/NoExecute the job does not tolerate exclude a node), how many pods fit in free capacity now and on empty
/// nodes, per pool, with a plain sentence per pool ("needs 4 GPUs per pod; largest free block is 2 on gpu-a100-0").
/// </summary>
public static class JobFit
{
    /// <summary>Tolerations as <c>key</c> (any value, Exists) or <c>key=value</c> (Equal).</summary>
    public static JobFitResult Calculate(IEnumerable<NodeFitInput> nodes, IReadOnlyDictionary<string, string> nodeSelector, ResourceAmounts perPod, IReadOnlyCollection<string> tolerations)
    {
        var all = nodes.ToList();
        var selected = all.Where(n => nodeSelector.All(s => n.Labels.TryGetValue(s.Key, out var v) && v == s.Value)).ToList();
        var matching = selected.Where(n => n.Schedulable && Tolerated(n, tolerations)).ToList();
        string? noMatch = null;
        if (matching.Count == 0)
        {
            noMatch = all.Count == 0
                ? "The cluster has no nodes."
                : selected.Count == 0
                    ? $"No node has the labels {string.Join(", ", nodeSelector.Select(s => $"{s.Key}={s.Value}"))} the instance type selects."
                    : selected.All(n => !n.Schedulable)
                        ? "Every node the instance type selects is cordoned or not ready."
                        : "Every node the instance type selects has a taint the job does not tolerate.";
        }

        var pools = matching.GroupBy(n => n.Pool, StringComparer.Ordinal)
            .Select(g => Pool(g.Key, [.. g], perPod))
            .OrderByDescending(p => p.FitNow).ThenByDescending(p => p.FitEmpty).ThenBy(p => p.Pool, StringComparer.Ordinal)
            .ToList();
        return new JobFitResult(matching.Count, pools.Sum(p => p.FitNow), pools.Sum(p => p.FitEmpty), pools, noMatch);
    }

    /// <summary>How many pods of size <paramref name="perPod"/> fit in <paramref name="free"/>.</summary>
    public static int Count(ResourceAmounts free, ResourceAmounts perPod)
    {
        var n = long.MaxValue;
        if (perPod.CpuMillis > 0)
        {
            n = Math.Min(n, free.CpuMillis / perPod.CpuMillis);
        }

        if (perPod.MemoryBytes > 0)
        {
            n = Math.Min(n, free.MemoryBytes / perPod.MemoryBytes);
        }

        if (perPod.Gpus > 0)
        {
            n = Math.Min(n, free.Gpus / perPod.Gpus);
        }

        return n == long.MaxValue ? 110 : (int)Math.Clamp(n, 0, 110);
    }

    private static PoolFitResult Pool(string pool, IReadOnlyList<NodeFitInput> nodes, ResourceAmounts perPod)
    {
        var fitNow = nodes.Sum(n => Count(n.Free, perPod));
        var fitEmpty = nodes.Sum(n => Count(n.Allocatable, perPod));
        var largest = nodes.OrderByDescending(n => Count(n.Free, perPod)).ThenByDescending(n => n.Free.Gpus).ThenByDescending(n => n.Free.CpuMillis).ThenByDescending(n => n.Free.MemoryBytes).First();
        string explanation;
        if (fitEmpty == 0)
        {
            explanation = $"{pool}: a pod needs {Describe(perPod)} but its biggest node has only {Describe(nodes.OrderByDescending(n => n.Allocatable.Gpus).ThenByDescending(n => n.Allocatable.CpuMillis).First().Allocatable)} allocatable — it can never fit here.";
        }
        else if (fitNow == 0)
        {
            explanation = $"{pool}: a pod needs {Describe(perPod)}; the largest free block is {Describe(largest.Free)} on {largest.Name} ({Limiting(largest.Free, perPod)}).";
        }
        else
        {
            explanation = string.Create(CultureInfo.InvariantCulture, $"{pool}: room for {fitNow} pod{(fitNow == 1 ? string.Empty : "s")} of {Describe(perPod)} now ({fitEmpty} when empty).");
        }

        return new PoolFitResult(pool, nodes.Count, fitNow, fitEmpty, largest.Free, largest.Name, explanation);
    }

    private static string Limiting(ResourceAmounts free, ResourceAmounts perPod)
    {
        var parts = new List<string>();
        if (perPod.Gpus > free.Gpus)
        {
            parts.Add("too few free GPUs");
        }

        if (perPod.CpuMillis > free.CpuMillis)
        {
            parts.Add("too little free CPU");
        }

        if (perPod.MemoryBytes > free.MemoryBytes)
        {
            parts.Add("too little free memory");
        }

        return parts.Count == 0 ? "busy" : string.Join(", ", parts);
    }

    private static bool Tolerated(NodeFitInput node, IReadOnlyCollection<string> tolerations) =>
        node.Taints.All(t =>
        {
            var colon = t.LastIndexOf(':');
            var effect = colon >= 0 ? t[(colon + 1)..] : "NoSchedule";
            if (effect == "PreferNoSchedule")
            {
                return true;
            }

            var keyValue = colon >= 0 ? t[..colon] : t;
            var eq = keyValue.IndexOf('=', StringComparison.Ordinal);
            var key = eq >= 0 ? keyValue[..eq] : keyValue;
            return tolerations.Contains(key) || tolerations.Contains(keyValue);
        });

    /// <summary>"4 CPU, 16 GiB, 1 GPU".</summary>
    public static string Describe(ResourceAmounts a)
    {
        var cpu = a.CpuMillis % 1000 == 0 ? (a.CpuMillis / 1000).ToString(CultureInfo.InvariantCulture) : (a.CpuMillis / 1000.0).ToString("0.##", CultureInfo.InvariantCulture);
        var text = $"{cpu} CPU, {JobStatusMapping.Memory(a.MemoryBytes).Replace("no limit", "0 MiB", StringComparison.Ordinal)}";
        return a.Gpus > 0 ? string.Create(CultureInfo.InvariantCulture, $"{text}, {a.Gpus} GPU{(a.Gpus == 1 ? string.Empty : "s")}") : text;
    }
}
