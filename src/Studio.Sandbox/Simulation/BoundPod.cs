namespace Studio.Sandbox.Simulation;

/// <summary>A pod the scheduler counts against a node.</summary>
internal sealed record BoundPod(string Key, string Namespace, string Name, string Uid, int Priority, ResourceAmounts Requests, string Node);
