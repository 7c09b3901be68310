namespace Studio.Sandbox.Simulation;

/// <summary>The scheduler's view of one node: labels, taints, allocatable and what bound pods request.</summary>
internal sealed class NodeState
{
    public NodeState(string name) => Name = name;

    public string Name { get; }
    public Dictionary<string, string> Labels { get; set; } = new(StringComparer.Ordinal);
    public List<Taint> Taints { get; set; } = [];
    public ResourceAmounts Allocatable { get; set; }
    public ResourceAmounts Requested { get; set; }
    public bool Ready { get; set; } = true;
    public bool Unschedulable { get; set; }
    public Dictionary<string, BoundPod> Pods { get; } = new(StringComparer.Ordinal);

    /// <summary>What the scheduler last saw of the node (labels, taints, allocatable, readiness).</summary>
    public string Signature { get; set; } = "";
}
