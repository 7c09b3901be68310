using System.Globalization;
using System.Text.Json.Nodes;
using Studio.Sandbox.Api;

namespace Studio.Sandbox.Topology;

/// <summary>The node pools of a sandbox cluster: a small built-in default, or a YAML/JSON topology file.</summary>
internal static class ClusterTopology
{
    public static IReadOnlyList<NodePool> Default { get; } =
    [
        new("system", 1, "Standard_D4s_v5", "4", "16Gi", System: true),
        new("cpu", 3, "Standard_D8s_v5", "8", "32Gi"),
        new("gput4", 2, "Standard_NC4as_T4_v3", "4", "28Gi", 1, "Tesla-T4"),
        new("gpua100", 1, "Standard_NC24ads_A100_v4", "24", "220Gi", 1, "NVIDIA-A100-PCIE-80GB"),
    ];

    /// <summary>
    /// Reads a topology file: <c>{ pools: [ { name, count, instanceType, cpu, memory, gpus, gpuProduct, system, labels: {}, taints: [ {key, value, effect} ] } ] }</c>.
    /// </summary>
    /// <summary>
    /// Built-in topologies for scale runs, chosen with <c>--topology preset:NAME</c>: <c>scale-1000</c> and <c>scale-5000</c>
    /// (mostly CPU nodes plus A100×8 and T4 pools), and <c>default</c>.
    /// </summary>
    public static IReadOnlyList<NodePool>? Preset(string name) => name switch
    {
        "default" => Default,
        "scale-1000" => Scale(1000),
        "scale-5000" => Scale(5000),
        _ => null,
    };

    private static List<NodePool> Scale(int nodes) =>
    [
        new("system", 5, "Standard_D8s_v5", "8", "32Gi", System: true),
        new("cpu", nodes - 5 - (nodes / 10) - (nodes / 10), "Standard_D16s_v5", "16", "64Gi"),
        new("gpua100", nodes / 10, "Standard_ND96asr_v4", "96", "900Gi", 8, "NVIDIA-A100-SXM4-40GB",
            Taints: [("sku", "gpu", "NoSchedule")]),
        new("gput4", nodes / 10, "Standard_NC4as_T4_v3", "4", "28Gi", 1, "Tesla-T4", Taints: [("sku", "gpu", "NoSchedule")]),
    ];

    public static IReadOnlyList<NodePool> Load(string path)
    {
        if (path.StartsWith("preset:", StringComparison.Ordinal))
        {
            return Preset(path["preset:".Length..]) ?? throw new InvalidDataException($"unknown topology preset {path} (known: default, scale-1000, scale-5000)");
        }

        try
        {
            return LoadCore(path);
        }
        catch (Exception e) when (e is ApiException or FormatException or OverflowException or InvalidOperationException)
        {
            throw new InvalidDataException($"topology file {path}: {e.Message}", e);
        }
    }

    private static IReadOnlyList<NodePool> LoadCore(string path)
    {
        var root = YamlToJson.Parse(File.ReadAllText(path)) as JsonObject
            ?? throw new InvalidDataException($"topology file {path} is not an object");
        if (root["pools"] is not JsonArray pools || pools.Count == 0)
        {
            throw new InvalidDataException($"topology file {path} has no pools");
        }

        var result = new List<NodePool>();
        for (var i = 0; i < pools.Count; i++)
        {
            var p = pools[i] as JsonObject ?? throw new InvalidDataException($"pools[{i}] is not an object");
            var name = Str(p, "name") ?? throw new InvalidDataException($"pools[{i}].name is required");
            if (!ObjectRules.IsDnsLabel(name))
            {
                throw new InvalidDataException($"pools[{i}].name \"{name}\" must be a lowercase DNS label");
            }

            result.Add(new NodePool(
                name,
                p["count"] is null ? 1 : int.Parse(p["count"]!.ToString(), CultureInfo.InvariantCulture),
                Str(p, "instanceType") ?? "Standard_D4s_v5",
                Str(p, "cpu") ?? "4",
                Str(p, "memory") ?? "16Gi",
                p["gpus"] is null ? 0 : int.Parse(p["gpus"]!.ToString(), CultureInfo.InvariantCulture),
                Str(p, "gpuProduct"),
                (bool?)p["system"] ?? false,
                (p["labels"] as JsonObject)?.ToDictionary(kv => kv.Key, kv => kv.Value?.ToString() ?? ""),
                (p["taints"] as JsonArray)?.OfType<JsonObject>().Select(t => (Str(t, "key") ?? "", Str(t, "value") ?? "", Str(t, "effect") ?? "NoSchedule")).ToList(),
                p["maxPods"] is null ? 110 : int.Parse(p["maxPods"]!.ToString(), CultureInfo.InvariantCulture),
                Str(p, "kubernetesVersion") ?? Str(root, "kubernetesVersion") ?? "v1.32.0",
                Str(p, "allocatableCpu"),
                Str(p, "allocatableMemory")));
        }

        return result;
    }

    private static string? Str(JsonObject o, string key) => o[key]?.ToString();

    /// <summary>The Node objects for the pools.</summary>
    public static IEnumerable<JsonObject> Nodes(IReadOnlyList<NodePool> pools)
    {
        var ip = 4;
        foreach (var pool in pools)
        {
            for (var i = 0; i < pool.Count; i++)
            {
                var name = $"aks-{pool.Name}-{10000000 + (pool.Name.Length * 7919 % 89999999):D8}-vmss{i:D6}";
                var labels = new JsonObject
                {
                    ["agentpool"] = pool.Name,
                    ["kubernetes.azure.com/agentpool"] = pool.Name,
                    ["kubernetes.azure.com/mode"] = pool.System ? "system" : "user",
                    ["beta.kubernetes.io/arch"] = "amd64",
                    ["beta.kubernetes.io/os"] = "linux",
                    ["kubernetes.io/arch"] = "amd64",
                    ["kubernetes.io/os"] = "linux",
                    ["kubernetes.io/hostname"] = name,
                    ["node.kubernetes.io/instance-type"] = pool.InstanceType,
                    ["topology.kubernetes.io/region"] = "sandbox",
                    ["topology.kubernetes.io/zone"] = "sandbox-" + ((i % 3) + 1).ToString(CultureInfo.InvariantCulture),
                };
                if (pool.Gpus > 0)
                {
                    labels["nvidia.com/gpu.present"] = "true";
                    labels["nvidia.com/gpu.count"] = pool.Gpus.ToString(CultureInfo.InvariantCulture);
                    labels["nvidia.com/gpu.product"] = pool.GpuProduct ?? "NVIDIA-GPU";
                    labels["accelerator"] = "nvidia";
                }

                foreach (var (k, v) in pool.Labels ?? new Dictionary<string, string>())
                {
                    labels[k] = v;
                }

                var capacity = new JsonObject
                {
                    ["cpu"] = pool.Cpu,
                    ["memory"] = pool.Memory,
                    ["pods"] = pool.MaxPods.ToString(CultureInfo.InvariantCulture),
                    ["ephemeral-storage"] = "129886128Ki",
                    ["hugepages-1Gi"] = "0",
                    ["hugepages-2Mi"] = "0",
                };
                if (pool.Gpus > 0)
                {
                    capacity["nvidia.com/gpu"] = pool.Gpus.ToString(CultureInfo.InvariantCulture);
                }

                var spec = new JsonObject { ["providerID"] = "sandbox:///" + name, ["podCIDR"] = $"10.244.{ip}.0/24" };
                if (pool.Taints is { Count: > 0 })
                {
                    spec["taints"] = new JsonArray([.. pool.Taints.Select(t => (JsonNode)new JsonObject { ["key"] = t.Key, ["value"] = t.Value, ["effect"] = t.Effect })]);
                }

                var now = ObjectService.Now();
                yield return new JsonObject
                {
                    ["apiVersion"] = "v1",
                    ["kind"] = "Node",
                    ["metadata"] = new JsonObject { ["name"] = name, ["labels"] = labels },
                    ["spec"] = spec,
                    ["status"] = new JsonObject
                    {
                        ["capacity"] = capacity,
                        ["allocatable"] = Allocatable(pool, capacity),
                        ["conditions"] = new JsonArray(
                            Condition("MemoryPressure", "False", "KubeletHasSufficientMemory", now),
                            Condition("DiskPressure", "False", "KubeletHasNoDiskPressure", now),
                            Condition("PIDPressure", "False", "KubeletHasSufficientPID", now),
                            Condition("Ready", "True", "KubeletReady", now)),
                        ["addresses"] = new JsonArray(
                            new JsonObject { ["type"] = "InternalIP", ["address"] = $"10.224.0.{ip}" },
                            new JsonObject { ["type"] = "Hostname", ["address"] = name }),
                        ["nodeInfo"] = new JsonObject
                        {
                            ["architecture"] = "amd64",
                            ["operatingSystem"] = "linux",
                            ["osImage"] = "Ubuntu 22.04.5 LTS",
                            ["kernelVersion"] = "5.15.0-1079-azure",
                            ["containerRuntimeVersion"] = "containerd://1.7.27",
                            ["kubeletVersion"] = pool.KubernetesVersion,
                            ["kubeProxyVersion"] = pool.KubernetesVersion,
                            ["machineID"] = Guid.NewGuid().ToString("N"),
                            ["systemUUID"] = Guid.NewGuid().ToString(),
                            ["bootID"] = Guid.NewGuid().ToString(),
                        },
                    },
                };
                ip++;
            }
        }
    }

    private static JsonNode Allocatable(NodePool pool, JsonObject capacity)
    {
        var allocatable = capacity.DeepClone().AsObject();
        if (pool.AllocatableCpu is not null)
        {
            allocatable["cpu"] = pool.AllocatableCpu;
        }

        if (pool.AllocatableMemory is not null)
        {
            allocatable["memory"] = pool.AllocatableMemory;
        }

        return allocatable;
    }

    private static JsonObject Condition(string type, string status, string reason, string now) => new()
    {
        ["type"] = type,
        ["status"] = status,
        ["lastHeartbeatTime"] = now,
        ["lastTransitionTime"] = now,
        ["reason"] = reason,
        ["message"] = reason,
    };
}
