namespace Studio.Sandbox.Simulation;

/// <summary>A pod waiting in the scheduling queue.</summary>
internal sealed class PendingPod
{
    public PendingPod(string key, string ns, string name, long seq)
    {
        Key = key;
        Namespace = ns;
        Name = name;
        Seq = seq;
    }

    public string Key { get; }
    public string Namespace { get; }
    public string Name { get; }
    public long Seq { get; }
    public int Priority { get; set; }
    public string? Group { get; set; }
    public bool Unschedulable { get; set; }
    public string? LastMessage { get; set; }
}
