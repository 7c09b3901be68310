using System.Diagnostics;
using Studio.Domain.Clusters;
using Studio.Domain.InstanceTypes;

namespace Studio.InstanceTypes.Bench;

/// <summary>
/// How long the availability board takes to recompute: every instance type through the fit calculator over every node,
/// which pages do on each (coalesced) inventory change. Usage:
/// <c>dotnet run -c Release --project bench/Studio.InstanceTypes.Bench [-- --nodes N --types N --rounds N]</c>.
/// </summary>
internal static class Program
{
    public static int Main(string[] args)
    {
        var nodeCount = Arg(args, "--nodes", 5_000);
        var typeCount = Arg(args, "--types", 50);
        var rounds = Arg(args, "--rounds", 20);
        const long Gi = 1024L * 1024 * 1024;
        var random = new Random(7);
        var pools = new[] { ("cpu", 16L, 64L, 0L), ("gpua100", 96L, 900L, 8L), ("gput4", 4L, 28L, 1L), ("system", 8L, 32L, 0L) };
        var nodes = Enumerable.Range(0, nodeCount).Select(i =>
        {
            var (pool, cpu, mem, gpu) = pools[i % 10 < 6 ? 0 : i % 10 < 8 ? 1 : i % 10 < 9 ? 2 : 3];
            var allocatable = new ResourceAmounts(cpu * 1000, mem * Gi, gpu);
            var used = new ResourceAmounts(random.NextInt64(0, cpu * 1000), random.NextInt64(0, mem * Gi), gpu == 0 ? 0 : random.NextInt64(0, gpu + 1));
            var labels = new Dictionary<string, string> { ["agentpool"] = pool, ["kubernetes.io/hostname"] = $"node-{i}", ["topology.kubernetes.io/zone"] = $"zone-{i % 3}" };
            IReadOnlyList<NodeTaint> taints = pool == "gpua100" ? [new NodeTaint("sku", "gpu", TaintEffect.NoSchedule)] : pool == "system" ? [new NodeTaint("ml.azure.com/amlarc", "true", TaintEffect.NoSchedule)] : [];
            return new FitNode($"node-{i}", pool, labels, taints, allocatable, (allocatable - used).AtLeastZero());
        }).ToList();
        var types = Enumerable.Range(0, typeCount).Select(i =>
        {
            var pool = pools[i % pools.Length].Item1;
            var draft = new InstanceTypeDraft($"type-{i}", i % 5 == 0 ? [] : new Dictionary<string, string> { ["agentpool"] = pool }, $"{(i % 8) + 1}", $"{(i % 16) + 1}Gi", $"{(i % 8) + 2}", $"{(i % 16) + 2}Gi", pool.StartsWith("gpu", StringComparison.Ordinal) ? "1" : null);
            return InstanceTypeRules.Validate(draft).Value;
        }).ToList();

        Console.WriteLine($"Fit calculator benchmark: {nodeCount:N0} nodes, {typeCount} instance types, {rounds} rounds, {Environment.ProcessorCount} cores");
        _ = types.Select(t => FitCalculator.Evaluate(t, nodes)).ToList(); // warm-up
        var times = new List<double>();
        long replicas = 0;
        for (var r = 0; r < rounds; r++)
        {
            var watch = Stopwatch.StartNew();
            replicas += types.Select(t => FitCalculator.Evaluate(t, nodes)).Sum(report => (long)report.ReplicasFitNow);
            times.Add(watch.Elapsed.TotalMilliseconds);
        }

        times.Sort();
        Console.WriteLine($"Whole board (all types × all nodes): median {times[times.Count / 2]:F1} ms, p90 {times[(int)(times.Count * 0.9)]:F1} ms, max {times[^1]:F1} ms");
        Console.WriteLine($"Per instance type: median {times[times.Count / 2] / typeCount:F2} ms ({nodeCount / (times[times.Count / 2] / typeCount):N0} node evaluations/ms)");
        Console.WriteLine($"(checksum {replicas})");
        return 0;
    }

    private static int Arg(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], out var value) ? value : fallback;
    }
}
