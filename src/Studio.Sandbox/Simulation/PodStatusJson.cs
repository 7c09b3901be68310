using System.Globalization;
using System.Text.Json.Nodes;

namespace Studio.Sandbox.Simulation;

/// <summary>The pod status a kubelet posts for a run: phase, conditions (with transition times), container statuses, IPs.</summary>
internal static class PodStatusJson
{
    /// <summary>The status of <paramref name="run"/>; no container is ready while its node is not ready.</summary>
    public static JsonObject Build(PodRun run, bool nodeNotReady)
    {
        var now = Simulator.Timestamp();
        var allReady = run.Containers.All(c => c.Ready) && !nodeNotReady;
        var conditions = new JsonArray();
        var notReadyReason = run.Terminal ? "PodCompleted" : "ContainersNotReady";
        SetCondition(run, conditions, "PodReadyToStartContainers", !run.Terminal || run.Phase == "Succeeded", now);
        SetCondition(run, conditions, "Initialized", run.Initialized, now, "ContainersNotInitialized");
        SetCondition(run, conditions, "Ready", allReady && !run.Terminal, now, notReadyReason);
        SetCondition(run, conditions, "ContainersReady", allReady && !run.Terminal, now, notReadyReason);
        SetCondition(run, conditions, "PodScheduled", true, now);
        var statuses = Statuses(run.Containers);
        var status = new JsonObject
        {
            ["phase"] = run.Phase,
            ["conditions"] = conditions,
            ["hostIP"] = run.HostIp,
            ["hostIPs"] = new JsonArray(new JsonObject { ["ip"] = run.HostIp }),
            ["podIP"] = run.PodIp,
            ["podIPs"] = new JsonArray(new JsonObject { ["ip"] = run.PodIp }),
            ["startTime"] = run.StartTime,
            ["containerStatuses"] = statuses,
            ["qosClass"] = "Burstable",
            ["reason"] = run.Reason,
            ["message"] = run.Message,
        };
        if (run.InitContainers.Count > 0)
        {
            status["initContainerStatuses"] = Statuses(run.InitContainers);
        }

        return status;
    }

    private static JsonArray Statuses(List<ContainerRun> containers)
    {
        var statuses = new JsonArray();
        foreach (var c in containers)
        {
            JsonObject state = c.State switch
            {
                "running" => new JsonObject { ["running"] = new JsonObject { ["startedAt"] = c.StartedAt } },
                "terminated" => Terminated(c),
                _ => new JsonObject { ["waiting"] = c.Message is null ? new JsonObject { ["reason"] = c.Reason } : new JsonObject { ["reason"] = c.Reason, ["message"] = c.Message } },
            };
            var cs = new JsonObject
            {
                ["name"] = c.Name,
                ["image"] = c.Image,
                ["imageID"] = c.Attempt > 0 ? c.Image.Split(':')[0] + "@sha256:" + Names.Fnv(c.Image).ToString("x16", CultureInfo.InvariantCulture) + Names.Fnv(c.Image + "#").ToString("x16", CultureInfo.InvariantCulture) + Names.Fnv(c.Image + "##").ToString("x16", CultureInfo.InvariantCulture) + Names.Fnv(c.Image + "###").ToString("x16", CultureInfo.InvariantCulture) : "",
                ["ready"] = c.Ready,
                ["restartCount"] = c.RestartCount,
                ["started"] = c.State == "running",
                ["state"] = state,
                ["lastState"] = c.LastTerminated?.DeepClone() ?? new JsonObject(),
            };
            if (c.Attempt > 0)
            {
                cs["containerID"] = c.ContainerId;
            }

            statuses.Add(cs);
        }

        return statuses;
    }

    /// <summary>A container's terminated state (also its lastState after a restart); the message when there is one (a failed fetch).</summary>
    public static JsonObject Terminated(ContainerRun c)
    {
        var terminated = new JsonObject
        {
            ["exitCode"] = c.ExitCode,
            ["reason"] = c.Reason,
            ["startedAt"] = c.StartedAt,
            ["finishedAt"] = c.FinishedAt,
            ["containerID"] = c.ContainerId,
        };
        if (c.Message is not null)
        {
            terminated["message"] = c.Message;
        }

        return new JsonObject { ["terminated"] = terminated };
    }

    private static void SetCondition(PodRun run, JsonArray conditions, string type, bool status, string now, string? reason = null)
    {
        var s = status ? "True" : "False";
        if (!run.Conditions.TryGetValue(type, out var prev) || prev.Status != s)
        {
            run.Conditions[type] = (s, now);
        }

        var c = new JsonObject { ["type"] = type, ["status"] = s, ["lastProbeTime"] = null, ["lastTransitionTime"] = run.Conditions[type].Since };
        if (reason is not null && !status)
        {
            c["reason"] = reason;
        }

        conditions.Add(c);
    }
}
