namespace Studio.Domain.InstanceTypes;

/// <summary>Field paths of an InstanceType resource, as errors name them (the same paths the API server uses).</summary>
public static class InstanceTypeFields
{
    public const string Name = "metadata.name";
    public const string NodeSelector = "spec.nodeSelector";
    public const string Resources = "spec.resources";
    public const string RequestCpu = "spec.resources.requests.cpu";
    public const string RequestMemory = "spec.resources.requests.memory";
    public const string RequestGpu = "spec.resources.requests.nvidia.com/gpu";
    public const string LimitCpu = "spec.resources.limits.cpu";
    public const string LimitMemory = "spec.resources.limits.memory";
    public const string LimitGpu = "spec.resources.limits.nvidia.com/gpu";

    /// <summary>The path of one nodeSelector entry.</summary>
    public static string NodeSelectorKey(string key) => $"{NodeSelector}.{key}";
}
