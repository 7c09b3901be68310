using System.Globalization;
using Studio.Domain.Clusters;
using Studio.Domain.InstanceTypes;

namespace Studio.Domain.Jobs;

/// <summary>
/// A job's view of the instance-type fit (<see cref="FitCalculator"/>, the same answer the picker and the availability
/// board give): totals over eligible nodes and, per pool, a plain sentence for the pending explainer and the pre-flight
/// ("gpua100: a pod needs 4 CPU, 16 GiB, 1 GPU; the largest free block is 20 CPU, 204 GiB on aks-gpua100-… (too few free GPUs)").
/// </summary>
public static class JobFit
{
    public static JobFitResult From(FitReport report)
    {
        var perPod = report.InstanceType.PodRequest;
        var eligible = report.Nodes.Where(n => n.Eligible).ToList();
        string? noMatch = null;
        if (eligible.Count == 0)
        {
            var selector = string.Join(", ", report.InstanceType.NodeSelector.Select(s => $"{s.Key}={s.Value}"));
            var matching = report.Nodes.Where(n => n.MatchesSelector).ToList();
            noMatch = report.Nodes.Count == 0
                ? "The cluster has no nodes."
                : matching.Count == 0
                    ? selector.Length == 0 ? "No node matches the extension's node selector." : $"No node has the labels {selector} the instance type selects."
                    : $"Every node the instance type selects has a taint the job does not tolerate ({matching.First(n => n.BlockingTaint is not null).BlockingTaint}).";
        }

        var pools = eligible.GroupBy(n => n.Node.Pool, StringComparer.Ordinal)
            .Select(g => Pool(g.Key, [.. g], perPod))
            .OrderByDescending(p => p.FitNow).ThenByDescending(p => p.FitEmpty).ThenBy(p => p.Pool, StringComparer.Ordinal)
            .ToList();
        return new JobFitResult(eligible.Count, report.ReplicasFitNow, report.ReplicasFitEmpty, pools, noMatch);
    }

    private static PoolFitResult Pool(string pool, IReadOnlyList<NodeFit> nodes, ResourceAmounts perPod)
    {
        var fitNow = nodes.Sum(n => n.ReplicasFitNow);
        var fitEmpty = nodes.Sum(n => n.ReplicasFitEmpty);
        var largest = nodes.OrderByDescending(n => n.ReplicasFitNow).ThenByDescending(n => n.Node.Free.Gpus).ThenByDescending(n => n.Node.Free.CpuMillis).ThenByDescending(n => n.Node.Free.MemoryBytes).First();
        string explanation;
        if (fitEmpty == 0)
        {
            var biggest = nodes.OrderByDescending(n => n.Node.Allocatable.Gpus).ThenByDescending(n => n.Node.Allocatable.CpuMillis).First();
            explanation = $"{pool}: a pod needs {Describe(perPod)} but its biggest node has only {Describe(biggest.Node.Allocatable)} allocatable — it can never fit here.";
        }
        else if (fitNow == 0)
        {
            explanation = $"{pool}: a pod needs {Describe(perPod)}; the largest free block is {Describe(largest.Node.Free)} on {largest.Node.Name} ({Limiting(largest.Node.Free, perPod)}).";
        }
        else
        {
            explanation = string.Create(CultureInfo.InvariantCulture, $"{pool}: room for {fitNow} pod{(fitNow == 1 ? string.Empty : "s")} of {Describe(perPod)} now ({fitEmpty} when empty).");
        }

        return new PoolFitResult(pool, nodes.Count, fitNow, fitEmpty, largest.Node.Free, largest.Node.Name, explanation);
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

    /// <summary>"4 CPU, 16 GiB, 1 GPU".</summary>
    public static string Describe(ResourceAmounts a) =>
        string.Join(", ", new[] { HumanUnits.Cpu(a.CpuMillis), a.MemoryBytes <= 0 ? "0 MiB" : HumanUnits.Bytes(a.MemoryBytes) }.Concat(a.Gpus > 0 ? [HumanUnits.Gpus(a.Gpus)] : []));
}
