namespace Studio.Sandbox.Topology;

/// <summary>One pool of identical simulated nodes.</summary>
internal sealed record NodePool(
    string Name,
    int Count,
    string InstanceType,
    string Cpu,
    string Memory,
    int Gpus = 0,
    string? GpuProduct = null,
    bool System = false,
    IReadOnlyDictionary<string, string>? Labels = null,
    IReadOnlyList<(string Key, string Value, string Effect)>? Taints = null,
    int MaxPods = 110,
    string KubernetesVersion = "v1.32.0",
    string? AllocatableCpu = null,
    string? AllocatableMemory = null);
