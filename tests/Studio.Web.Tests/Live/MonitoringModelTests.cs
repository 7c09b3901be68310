using Studio.Domain.Clusters;
using Studio.Infrastructure.Kubernetes.Inventory;
using Studio.Infrastructure.Live;
using Studio.Web.Model;

namespace Studio.Web.Tests.Live;

public sealed class MonitoringModelTests
{
    private static NodeInfo Node(string name, int gpus, string pool = "gpu") =>
        new(name, new Dictionary<string, string>(), [], true, false, new ResourceAmounts(8000, 64L << 30, gpus), new ResourceAmounts(8000, 64L << 30, gpus), 110, "v1.32.0", null, pool, null, gpus > 0 ? "A100" : null, []);

    private static PodInfo Pod(string ns, string name, string? node, int gpus, string phase = "Running") =>
        new(ns, name, node, phase, new ResourceAmounts(1000, 1L << 30, gpus), null);

    [Fact]
    public void GpuHeatMap_FillsSlotsWithTheOwningWorkspace_LeavesTheRestFree_SkipsCpuNodesAndFinishedPods()
    {
        var nodes = new[] { Node("a100-0", 4), Node("a100-1", 2), Node("cpu-0", 0, "cpu") };
        var pods = new[]
        {
            Pod("team-a", "train-0", "a100-0", 2),
            Pod("team-b", "train-1", "a100-0", 1),
            Pod("team-a", "done", "a100-1", 2, "Succeeded"),
            Pod("team-a", "pending", null, 1, "Pending"),
            Pod("team-a", "cpu-only", "cpu-0", 0),
        };
        var owners = new Dictionary<string, string> { ["team-a"] = "vision", ["team-b"] = "nlp" };

        var rows = MonitoringModel.GpuHeatMap(nodes, pods, ns => owners.GetValueOrDefault(ns) ?? $"namespace {ns}", 10, out var hidden);

        Assert.Equal(0, hidden);
        Assert.Equal(["a100-0", "a100-1"], rows.Select(r => r.Node));
        Assert.Equal(["vision", "vision", "nlp", null], rows[0].Slots.Select(s => s.Owner));
        Assert.Equal("team-a/train-0", rows[0].Slots[0].Pod);
        Assert.All(rows[1].Slots, s => Assert.True(s.Free));
        Assert.Equal(3, rows[0].Used);
    }

    [Fact]
    public void GpuHeatMap_ShowsTheBusiestNodesFirst_AndCountsTheHiddenOnes()
    {
        var nodes = Enumerable.Range(0, 10).Select(i => Node($"n{i}", 1)).ToList();
        var pods = new[] { Pod("x", "p", "n7", 1) };

        var rows = MonitoringModel.GpuHeatMap(nodes, pods, ns => ns, 3, out var hidden);

        Assert.Equal(7, hidden);
        Assert.Equal(["n7", "n0", "n1"], rows.Select(r => r.Node));
    }

    [Fact]
    public void GpuHeatMapRows_ForTheSameLoadsAndOwners_AreBuiltOnce_AndForOtherOwnersOrLoadsAgain()
    {
        var nodes = new[] { Node("a100-0", 4), Node("a100-1", 2) };
        var pods = new[] { Pod("team-a", "train-0", "a100-0", 2), Pod("team-b", "train-1", "a100-1", 1) };
        var loads = GpuNodeLoad.From(nodes, pods);
        var member = new Dictionary<string, string> { ["team-a"] = "vision", ["team-b"] = "nlp" };
        var outsider = new Dictionary<string, string> { ["team-a"] = "vision", ["team-b"] = "another workspace" };
        var shared = new GpuHeatMapRows();

        var first = shared.For(loads, ns => new string([.. member[ns]]), 10, out var hidden);
        var second = shared.For(loads, ns => new string([.. member[ns]]), 10, out _);
        var other = shared.For(loads, ns => outsider[ns], 10, out _);
        var fewer = shared.For(loads, ns => member[ns], 1, out var fewerHidden);
        var next = shared.For(GpuNodeLoad.From(nodes, pods), ns => member[ns], 10, out _);

        Assert.Same(first, second);
        Assert.Equal(0, hidden);
        Assert.Equal(["vision", "vision", null, null], first[0].Slots.Select(s => s.Owner));
        Assert.Equal("another workspace", other[1].Slots[0].Owner);
        Assert.Equal("nlp", first[1].Slots[0].Owner);
        Assert.Single(fewer);
        Assert.Equal(1, fewerHidden);
        Assert.NotSame(first, next);
        Assert.Equal(4, shared.Built);
    }

    [Fact]
    public void Indicator_SaysLive_StaleSince_OrReconnecting()
    {
        var since = new DateTimeOffset(2026, 11, 28, 10, 15, 0, TimeSpan.Zero);
        ClusterSnapshot Snap(ClusterConnectionState state, DateTimeOffset? synced) => new(state, since, null, synced, null, 0, 0, 0, 0, default, default, []);

        Assert.Equal((LiveState.Live, null), MonitoringModel.Indicator(Snap(ClusterConnectionState.Connected, since)));
        Assert.Equal((LiveState.Stale, since), MonitoringModel.Indicator(Snap(ClusterConnectionState.Degraded, since)));
        Assert.Equal((LiveState.Reconnecting, since), MonitoringModel.Indicator(Snap(ClusterConnectionState.Connecting, since)));
        Assert.Equal((LiveState.Connecting, null), MonitoringModel.Indicator(Snap(ClusterConnectionState.Connecting, null)));
        Assert.Equal((LiveState.Connecting, null), MonitoringModel.Indicator(null));
    }

    [Theory]
    [InlineData("1h", 1)]
    [InlineData("24h", 24)]
    [InlineData("7d", 168)]
    [InlineData("bogus", 1)]
    [InlineData(null, 1)]
    public void Range_ReadsTheQueryValue_DefaultingToOneHour(string? value, int hours) =>
        Assert.Equal(TimeSpan.FromHours(hours), MonitoringModel.Range(value));
}
