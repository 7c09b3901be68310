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
    public Dictionary<string, (string Status, string Since)> Conditions { get; } = new(StringComparer.Ordinal);

    public bool Terminal => Phase is "Succeeded" or "Failed";
}
