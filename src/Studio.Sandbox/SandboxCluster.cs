using System.Text.Json.Nodes;
using Studio.Sandbox.Api;
using Studio.Sandbox.Resources;
using Studio.Sandbox.Storage;
using Studio.Sandbox.Topology;

namespace Studio.Sandbox;

/// <summary>
/// The in-process cluster state behind a <see cref="SandboxServer"/>: store, resource registry, API semantics and logs.
/// Controllers (scheduler, kubelet, workload controllers) plug in here as store subscribers.
/// </summary>
internal sealed class SandboxCluster
{
    public SandboxCluster(SandboxOptions options)
    {
        Options = options;
        Store = new ObjectStore(options.WatchHistorySize, compactionInterval: options.CompactionInterval);
        Registry = new ResourceRegistry();
        Service = new ObjectService(Store, Registry);
    }

    public SandboxOptions Options { get; }
    public ObjectStore Store { get; }
    public ResourceRegistry Registry { get; }
    public ObjectService Service { get; }
    public PodLogs Logs { get; } = new();
    public FaultInjector Faults { get; } = new();

    /// <summary>The simulated control plane and kubelets (null until started, or when <see cref="SandboxOptions.Simulate"/> is off).</summary>
    public Simulation.Simulator? Simulator { get; private set; }

    public void StartSimulation()
    {
        if (Options.Simulate && Simulator is null)
        {
            Simulator = new Simulation.Simulator(this);
            Simulator.Scheduler.Scoring = Options.Scoring;
            Simulator.Start();
        }
    }

    public ResourceType Type(string group, string version, string plural) =>
        Registry.Find(group, version, plural) ?? throw new InvalidOperationException($"unknown resource {group}/{version}/{plural}");

    /// <summary>Namespaces and nodes every cluster starts with.</summary>
    public void Seed()
    {
        var ns = Type("", "v1", "namespaces");
        foreach (var name in new[] { "default", "kube-system", "kube-public", "kube-node-lease" })
        {
            Service.Create(ns, null, new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = name } }, RequestOptions.Default);
        }

        Service.Create(Type("", "v1", "services"), "default", new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Service",
            ["metadata"] = new JsonObject { ["name"] = "kubernetes", ["labels"] = new JsonObject { ["component"] = "apiserver", ["provider"] = "kubernetes" } },
            ["spec"] = new JsonObject
            {
                ["clusterIP"] = "10.96.0.1",
                ["ports"] = new JsonArray(new JsonObject { ["name"] = "https", ["port"] = 443, ["protocol"] = "TCP", ["targetPort"] = 6443 }),
            },
        }, RequestOptions.Default);

        if (Options.GatewayApi)
        {
            InstallCrds("gateway-api.yaml");
        }

        if (!Options.SeedNodes)
        {
            return;
        }

        var pools = Options.TopologyPath is null ? ClusterTopology.Default : ClusterTopology.Load(Options.TopologyPath);
        if (Options.TopologyPath is not null && Simulation.TopologyFaults.Load(Options.TopologyPath) is { } faults)
        {
            Options.Faults = faults;
        }
        var node = Type("", "v1", "nodes");
        foreach (var n in ClusterTopology.Nodes(pools))
        {
            Service.Create(node, null, n, RequestOptions.Default);
        }
    }

    /// <summary>Creates the CustomResourceDefinitions of an embedded <c>Resources/Crds</c> file (YAML documents).</summary>
    private void InstallCrds(string file)
    {
        using var stream = typeof(SandboxCluster).Assembly.GetManifestResourceStream("Studio.Sandbox.Crds." + file)
            ?? throw new InvalidOperationException($"The sandbox has no embedded CRD file '{file}'.");
        using var reader = new StreamReader(stream);
        var crd = Type("apiextensions.k8s.io", "v1", "customresourcedefinitions");
        foreach (var document in System.Text.RegularExpressions.Regex.Split(reader.ReadToEnd(), "^---\\s*$", System.Text.RegularExpressions.RegexOptions.Multiline))
        {
            if (YamlToJson.Parse(document) is JsonObject definition)
            {
                Service.Create(crd, null, definition, RequestOptions.Default);
            }
        }
    }
}
