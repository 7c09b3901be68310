using System.Globalization;
using System.Text.Json.Nodes;
using Studio.Sandbox.Storage;

namespace Studio.Sandbox.Simulation;

/// <summary>The simulated kubelet's state of one pod bound to a node.</summary>
internal sealed class PodRun
{
    public PodRun(string key, string ns, string name, string uid, string node)
    {
        Key = key;
        Namespace = ns;
        Name = name;
        Uid = uid;
        Node = node;
    }

    /// <summary>
    /// The run of a pod the kubelet starts on <paramref name="node"/>: restart policy, rank and world size (from RANK,
    /// JOB_COMPLETION_INDEX or the completion-index annotation, and WORLD_SIZE) and each container's simulated behaviour.
    /// </summary>
    public static PodRun Start(StoredObject stored, JsonObject pod, string node, string hostIp, string podIp, Func<string, bool>? imageFails)
    {
        var run = new PodRun(stored.Key, stored.Namespace, stored.Name, stored.Uid, node)
        {
            RestartPolicy = (string?)pod["spec"]?["restartPolicy"] ?? "Always",
            StartTime = Simulator.Timestamp(),
            HostIp = hostIp,
            PodIp = podIp,
        };
        var env = (pod["spec"]?["containers"] as JsonArray ?? []).OfType<JsonObject>()
            .SelectMany(c => (c["env"] as JsonArray ?? []).OfType<JsonObject>())
            .Where(e => e["value"] is not null)
            .GroupBy(e => (string?)e["name"] ?? "")
            .ToDictionary(g => g.Key, g => (string?)g.First()["value"] ?? "", StringComparer.Ordinal);
        var rank = env.GetValueOrDefault("RANK") ?? env.GetValueOrDefault("JOB_COMPLETION_INDEX")
            ?? (string?)pod["metadata"]?["annotations"]?["batch.kubernetes.io/job-completion-index"];
        run.Rank = int.TryParse(rank, NumberStyles.Integer, CultureInfo.InvariantCulture, out var r) ? r : 0;
        run.WorldSize = int.TryParse(env.GetValueOrDefault("WORLD_SIZE"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var w) ? w : 1;
        foreach (var c in (pod["spec"]?["initContainers"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var init = new ContainerRun((string?)c["name"] ?? "", (string?)c["image"] ?? "", new ContainerRule(1, 1, 0, 0, 0, false, 0, false, null, WorkloadKind.Generic, null), 0) { Reason = "PodInitializing" };
            run.InitContainers.Add(init);
            if ((string?)c["restartPolicy"] == "Always")
            {
                // A native sidecar: it runs beside the main containers and is stopped after them (the studio's output upload).
                run.SidecarEnv[init.Name] = (c["env"] as JsonArray ?? []).OfType<JsonObject>()
                    .Where(e => e["name"] is not null && e["value"] is not null)
                    .GroupBy(e => (string)e["name"]!)
                    .ToDictionary(g => g.Key, g => (string?)g.First()["value"] ?? "", StringComparer.Ordinal);
                continue;
            }

            run.FetchUrls[init.Name] = [.. (c["env"] as JsonArray ?? []).OfType<JsonObject>()
                .Where(e => ((string?)e["name"])?.EndsWith("_URL", StringComparison.Ordinal) == true)
                .Select(e => (string?)e["value"] ?? "")
                .Where(v => v.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || v.StartsWith("https://", StringComparison.OrdinalIgnoreCase))];
        }

        foreach (var c in (pod["spec"]?["containers"] as JsonArray ?? []).OfType<JsonObject>())
        {
            run.Commands.AddRange((c["command"] as JsonArray ?? []).Concat(c["args"] as JsonArray ?? []).Select(a => (string?)a ?? ""));
            var limit = Quantity.Whole(c["resources"]?["limits"]?["memory"]?.ToString());
            run.Containers.Add(new ContainerRun((string?)c["name"] ?? "", (string?)c["image"] ?? "", WorkloadRules.Resolve(pod, c, imageFails), limit) { Reason = run.InitContainers.Count > 0 ? "PodInitializing" : "ContainerCreating" });
        }

        return run;
    }

    public string Key { get; }
    public string Namespace { get; }
    public string Name { get; }
    public string Uid { get; }
    public string Node { get; }
    public string PodIp { get; set; } = "";
    public string HostIp { get; set; } = "";
    public string StartTime { get; set; } = "";
    public string RestartPolicy { get; set; } = "Always";
    public string Phase { get; set; } = "Pending";
    public string? Reason { get; set; }
    public string? Message { get; set; }
    public bool Terminating { get; set; }
    public int Rank { get; set; }
    public int WorldSize { get; set; } = 1;
    public List<ContainerRun> Containers { get; } = [];

    /// <summary>The init containers, run one after the other before <see cref="Containers"/> start.</summary>
    public List<ContainerRun> InitContainers { get; } = [];

    /// <summary>The http(s) URLs in each init container's <c>*_URL</c> variables: what the simulated fetch step downloads.</summary>
    public Dictionary<string, List<string>> FetchUrls { get; } = new(StringComparer.Ordinal);

    /// <summary>The environment of each native sidecar (an init container with <c>restartPolicy: Always</c>), by name.</summary>
    public Dictionary<string, Dictionary<string, string>> SidecarEnv { get; } = new(StringComparer.Ordinal);

    /// <summary>The main containers' command and arguments: what the simulated command "writes" is read from them.</summary>
    public List<string> Commands { get; } = [];

    public bool IsSidecar(ContainerRun c) => SidecarEnv.ContainsKey(c.Name);

    /// <summary>Whether every init container has completed, or (a sidecar) started, or there are none.</summary>
    public bool Initialized => InitContainers.All(c => IsSidecar(c) ? c.StartedAt is not null : c.State == "terminated" && c.ExitCode == 0);

    /// <summary>The conda file the job's fetch-environment step downloaded (installed when the main container starts), or null.</summary>
    public string? CondaFile { get; set; }

    /// <summary>The build context (a zip) the image builder's fetch-context step downloaded, or null.</summary>
    public byte[]? BuildContext { get; set; }
    public Dictionary<string, (string Status, string Since)> Conditions { get; } = new(StringComparer.Ordinal);

    public bool Terminal => Phase is "Succeeded" or "Failed";

    /// <summary>Succeeded or Failed once every container terminated; Running once every container started.</summary>
    public void UpdatePhase()
    {
        if (Terminal)
        {
            return;
        }

        if (Containers.All(c => c.State == "terminated"))
        {
            if (InitContainers.Any(c => IsSidecar(c) && c.State == "running"))
            {
                // The kubelet stops the sidecars after the main containers; the pod ends when they have.
                return;
            }

            Phase = Containers.All(c => c.ExitCode == 0) ? "Succeeded" : "Failed";
        }
        else if (Containers.All(c => c.StartedAt is not null))
        {
            Phase = "Running";
        }
    }
}
