using Studio.Sandbox.Simulation;
using Studio.Sandbox.Topology;

namespace Studio.Sandbox.Tests.Simulation;

public sealed class TopologyAndOptionsTests
{
    [Fact]
    public void TheScale5000PresetHas5000NodesWithTaintedGpuPools()
    {
        var pools = ClusterTopology.Preset("scale-5000")!;

        Assert.Equal(5000, pools.Sum(p => p.Count));
        Assert.Equal(8, pools.Single(p => p.Name == "gpua100").Gpus);
        Assert.All(pools.Where(p => p.Gpus > 0), p => Assert.Contains(("sku", "gpu", "NoSchedule"), p.Taints!));
    }

    [Fact]
    public void TheDefaultTopologyKeepsSevenNodesWithTheSystemPoolFirst()
    {
        var nodes = ClusterTopology.Nodes(ClusterTopology.Default).ToList();

        Assert.Equal(7, nodes.Count);
        Assert.StartsWith("aks-system-", (string?)nodes[0]["metadata"]!["name"], StringComparison.Ordinal);
    }

    [Fact]
    public void ATopologyFileCarriesVersionMaxPodsAllocatableAndFaults()
    {
        var path = Path.Combine(Path.GetTempPath(), "topology-" + Guid.NewGuid().ToString("N")[..8] + ".yaml");
        File.WriteAllText(path, """
            kubernetesVersion: v1.31.4
            pools:
              - {name: cpu, count: 2, cpu: "8", memory: 32Gi, maxPods: 30, allocatableCpu: 7800m, allocatableMemory: 28Gi}
            faults:
              errorRate: 0.25
              errorCode: 429
              imagePullFailure: acme/broken
            """);
        try
        {
            var node = ClusterTopology.Nodes(ClusterTopology.Load(path)).First();
            var faults = TopologyFaults.Load(path)!;

            Assert.Equal("v1.31.4", (string?)node["status"]!["nodeInfo"]!["kubeletVersion"]);
            Assert.Equal("30", (string?)node["status"]!["capacity"]!["pods"]);
            Assert.Equal("7800m", (string?)node["status"]!["allocatable"]!["cpu"]);
            Assert.Equal("8", (string?)node["status"]!["capacity"]!["cpu"]);
            Assert.Equal(0.25, faults.ErrorRate);
            Assert.Equal(429, faults.ErrorCode);
            Assert.Equal("acme/broken", faults.ImagePullFailure);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void FaultsParseFromTheCommandLineJson()
    {
        var faults = TopologyFaults.Parse("""{"watchCloseSeconds": 30, "latencyMs": 50, "notReadyNodes": ["n1"]}""");

        Assert.Equal(30, faults.WatchCloseSeconds);
        Assert.Equal(50, faults.LatencyMs);
        Assert.Equal(["n1"], faults.NotReadyNodes);
    }
}
