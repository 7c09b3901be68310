using System.Text.Json.Nodes;

namespace Studio.Sandbox.Simulation;

/// <summary>The simulated state of one container of a running pod.</summary>
internal sealed class ContainerRun
{
    public ContainerRun(string name, string image, ContainerRule rule, long memoryLimit)
    {
        Name = name;
        Image = image;
        Rule = rule;
        MemoryLimit = memoryLimit;
    }

    public string Name { get; }
    public string Image { get; }
    public ContainerRule Rule { get; set; }
    public long MemoryLimit { get; }
    public string ContainerId { get; set; } = "";

    /// <summary>waiting, running or terminated.</summary>
    public string State { get; set; } = "waiting";
    public string? Reason { get; set; } = "ContainerCreating";
    public string? Message { get; set; }
    public int ExitCode { get; set; }
    public string? StartedAt { get; set; }
    public string? FinishedAt { get; set; }
    public bool Ready { get; set; }
    public int RestartCount { get; set; }
    public int Attempt { get; set; }
    public int Epoch { get; set; }
    public JsonObject? LastTerminated { get; set; }
    public int PullFailures { get; set; }
}
