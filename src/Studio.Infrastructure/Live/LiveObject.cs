using Studio.Infrastructure.Kubernetes.Inventory;

namespace Studio.Infrastructure.Live;

/// <summary>
/// One object in a live scope: exactly one member is set. A flat union (not a class hierarchy) so that JSON and
/// MessagePack clients read it without type tags. Keys say the kind: <c>node/{name}</c>, <c>pod/{ns}/{name}</c>,
/// <c>job/{workspace}/{name}</c>.
/// </summary>
public sealed record LiveObject(NodeInfo? Node = null, PodInfo? Pod = null, LiveJob? Job = null)
{
    public static string NodeKey(string name) => $"node/{name}";

    public static string PodKey(string @namespace, string name) => $"pod/{@namespace}/{name}";

    public static string JobKey(string workspace, string name) => $"job/{workspace}/{name}";
}
