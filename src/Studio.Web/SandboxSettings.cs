namespace Studio.Web;

/// <summary><c>Studio:Sandbox</c>: the built-in sandbox cluster, hosted in-process on a loopback port.</summary>
public sealed class SandboxSettings
{
    public const string SectionName = "Studio:Sandbox";

    /// <summary>Start the sandbox and register it as the <c>sandbox</c> cluster. <remarks>Defaults to true.</remarks></summary>
    public bool Enabled { get; set; } = true;

    /// <summary>A topology file (node pools); empty uses the built-in default mix of CPU and GPU pools.</summary>
    public string? TopologyPath { get; set; }

    /// <summary>Scales simulated durations (10 = ten times faster).</summary>
    public double Speed { get; set; } = 1;

    /// <summary>The name the sandbox is registered under.</summary>
    public string ClusterName { get; set; } = "sandbox";
}
