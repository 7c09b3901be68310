namespace Studio.Sandbox;

/// <summary>How to start a sandbox cluster.</summary>
public sealed class SandboxOptions
{
    /// <summary>Loopback port to listen on; 0 picks a free port.</summary>
    public int Port { get; set; }

    /// <summary>Optional topology file (YAML or JSON) describing node pools; null uses the built-in default topology.</summary>
    public string? TopologyPath { get; set; }

    /// <summary>Scales simulated durations (10 = ten times faster).</summary>
    public double Speed { get; set; } = 1;

    /// <summary>How many recent changes a watch can resume from; older resourceVersions get 410 Gone.</summary>
    public int WatchHistorySize { get; set; } = 20_000;

    /// <summary>
    /// How long a resourceVersion stays readable after a newer one is written (etcd's compaction interval, 5 minutes by
    /// default as in kube-apiserver): a paged LIST's continue token expires (410) only after that, however many changes
    /// happen meanwhile.
    /// </summary>
    public TimeSpan CompactionInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Interval of BOOKMARK events on watches that ask for them.</summary>
    public TimeSpan BookmarkInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Whether to create the nodes of the topology on start.</summary>
    public bool SeedNodes { get; set; } = true;

    /// <summary>Whether the simulated control plane runs (scheduler, controllers, kubelets); off leaves pods Pending as stored.</summary>
    public bool Simulate { get; set; } = true;

    /// <summary>Scheduler scoring: LeastAllocated (spread, default) or MostAllocated (bin packing).</summary>
    public string Scoring { get; set; } = "LeastAllocated";

    /// <summary>
    /// Serve the Gateway API (GatewayClass, Gateway, HTTPRoute in <c>gateway.networking.k8s.io/v1</c>): its CRDs are
    /// installed at start, as on a cluster whose operator installed Gateway API. <remarks>Defaults to false.</remarks>
    /// </summary>
    public bool GatewayApi { get; set; }

    /// <summary>Serve HTTPS with a self-signed certificate (<see cref="SandboxServer.CertificateAuthorityPem"/>) instead of plain HTTP.</summary>
    public bool Tls { get; set; }

    /// <summary>Bearer tokens the API server accepts; empty (the default) accepts every request. Changeable at run time (<see cref="SandboxServer.AcceptTokens"/>).</summary>
    public IList<string> AcceptedTokens { get; set; } = [];

    /// <summary>Fault modes active from the start (also switchable at run time under <c>/sandbox/faults</c>).</summary>
    public Simulation.SandboxFaults Faults { get; set; } = new();
}
