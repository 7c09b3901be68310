using System.Diagnostics;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Hosting;
using Studio.Sandbox.Api;
using Studio.Sandbox.Hosting;
using Studio.Sandbox.Storage;

namespace Studio.Pages.Bench;

/// <summary>
/// Fills the sandbox with running pods spread over its nodes, written straight into the store (the fastest way the
/// sandbox allows): 5,000 pods per namespace <c>team-NNN</c>, 100m CPU / 256Mi each; on A100 nodes the first six pods
/// hold one GPU each, on every other T4 node the first pod holds the GPU (so the heat map has used and free slots).
/// </summary>
internal sealed class PodPreloader(SandboxHost host, int pods) : IHostedService
{
    public static TimeSpan Elapsed { get; private set; }

    public static int Nodes { get; private set; }

    public static string Kubeconfig { get; private set; } = string.Empty;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var server = await host.Ready.WaitAsync(cancellationToken);
        var sw = Stopwatch.StartNew();
        var cluster = server.Cluster;
        var (nodes, _, _, _) = cluster.Store.List(new ResourceRef("", "nodes").StorageKey, null, null, 0, null);
        var names = nodes.Select(n => n.Name).ToList();
        var gpus = nodes.ToDictionary(n => n.Name, n => n.Name.Contains("-gpua100-", StringComparison.Ordinal) ? 6 : n.Name.Contains("-gput4-", StringComparison.Ordinal) && n.Name.EndsWith('0') ? 1 : 0, StringComparer.Ordinal);
        var onNode = new Dictionary<string, int>(StringComparer.Ordinal);
        var nsType = cluster.Type("", "v1", "namespaces");
        var podRef = new ResourceRef("", "pods");
        for (var i = 0; i < pods; i++)
        {
            var ns = Namespace(i);
            if (i % 5_000 == 0)
            {
                cluster.Service.Create(nsType, null, new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = ns } }, RequestOptions.Default);
            }

            var node = names[i % names.Count];
            var index = onNode[node] = onNode.GetValueOrDefault(node) + 1;
            cluster.Store.Put(podRef, Pod(i, ns, node, index <= gpus[node] ? 1 : 0), null);
        }

        Nodes = names.Count;
        Kubeconfig = server.CreateKubeconfigYaml("sandbox");
        Elapsed = sw.Elapsed;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public static string Namespace(int i) => $"team-{i / 5_000:D3}";

    public static string Name(int i) => $"trainer-{i:D6}";

    private static JsonObject Pod(int i, string ns, string node, int gpus)
    {
        var requests = new JsonObject { ["cpu"] = "100m", ["memory"] = "256Mi" };
        var limits = new JsonObject();
        if (gpus > 0)
        {
            requests["nvidia.com/gpu"] = gpus.ToString(System.Globalization.CultureInfo.InvariantCulture);
            limits["nvidia.com/gpu"] = gpus.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Pod",
            ["metadata"] = new JsonObject
            {
                ["name"] = Name(i),
                ["namespace"] = ns,
                ["uid"] = Guid.NewGuid().ToString(),
                ["creationTimestamp"] = "2026-11-01T00:00:00Z",
                ["labels"] = new JsonObject { ["app"] = $"job-{i % 500}" },
            },
            ["spec"] = new JsonObject
            {
                ["nodeName"] = node,
                ["restartPolicy"] = "Never",
                ["tolerations"] = new JsonArray(new JsonObject { ["key"] = "sku", ["operator"] = "Equal", ["value"] = "gpu", ["effect"] = "NoSchedule" }),
                ["containers"] = new JsonArray(new JsonObject
                {
                    ["name"] = "main",
                    ["image"] = "pytorch/pytorch:2.4",
                    ["resources"] = new JsonObject { ["requests"] = requests, ["limits"] = limits },
                }),
            },
            ["status"] = new JsonObject { ["phase"] = "Running", ["startTime"] = "2026-11-01T00:00:05Z" },
        };
    }
}
