using System.Text;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace Studio.Sandbox.Tests.Simulation;

/// <summary>A sandbox with the simulation running 100× faster than real time; tests each use their own namespace.</summary>
public sealed class SimulatedCluster : IAsyncLifetime
{
    public SandboxServer Server { get; private set; } = null!;
    public Kubernetes Client { get; private set; } = null!;

    internal SandboxCluster Cluster => Server.Cluster;

    public async ValueTask InitializeAsync()
    {
        Server = await SandboxServer.StartAsync(new SandboxOptions { Speed = 100 });
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(Server.CreateKubeconfigYaml()));
        Client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(stream));
    }

    public async Task<string> NewNamespaceAsync()
    {
        var name = "s-" + Guid.NewGuid().ToString("N")[..10];
        await Client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = name } });
        return name;
    }

    /// <summary>Watches one object (in-process store subscription) until <paramref name="done"/> holds; fails after a generous timeout.</summary>
    public Task<JsonObject> WaitForAsync(string storageKey, string ns, string name, Func<JsonObject, bool> done, int timeoutSeconds = 60) =>
        WaitForAnyAsync(storageKey, ns, o => (string?)o["metadata"]?["name"] == name && done(o), $"{storageKey} {ns}/{name}", timeoutSeconds);

    /// <summary>Watches a kind in a namespace until some object satisfies <paramref name="done"/>.</summary>
    public async Task<JsonObject> WaitForAnyAsync(string storageKey, string ns, Func<JsonObject, bool> done, string what, int timeoutSeconds = 60)
    {
        using var sub = Cluster.Store.Subscribe(storageKey, ns, null, initial: true);
        JsonObject? last = null;
        foreach (var o in sub.Initial)
        {
            var json = o.ToJsonObject();
            if (done(json))
            {
                return json;
            }
        }

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(timeoutSeconds));
        try
        {
            await foreach (var e in sub.Events.ReadAllAsync(cts.Token))
            {
                if (e.Type == "DELETED")
                {
                    continue;
                }

                last = e.Object.ToJsonObject();
                if (done(last))
                {
                    return last;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }

        throw new TimeoutException($"{what} did not reach the expected state within {timeoutSeconds}s; last seen: {last?.ToJsonString()}");
    }

    /// <summary>Waits, re-checking on every change of the kind, until <paramref name="condition"/> holds.</summary>
    public async Task WaitUntilAsync(Func<bool> condition, string storageKey, string what, int timeoutSeconds = 60)
    {
        using var sub = Cluster.Store.Subscribe(storageKey, null, null, initial: false);
        if (condition())
        {
            return;
        }

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(timeoutSeconds));
        try
        {
            await foreach (var unused in sub.Events.ReadAllAsync(cts.Token))
            {
                if (condition())
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }

        throw new TimeoutException($"{what} did not happen within {timeoutSeconds}s");
    }

    public static bool HasCondition(JsonObject o, string type, string status = "True") =>
        (o["status"]?["conditions"] as JsonArray ?? []).OfType<JsonObject>().Any(c => (string?)c["type"] == type && (string?)c["status"] == status);

    public static string? Phase(JsonObject pod) => (string?)pod["status"]?["phase"];

    public static JsonObject? ContainerState(JsonObject pod, string container = "main") =>
        (pod["status"]?["containerStatuses"] as JsonArray ?? []).OfType<JsonObject>().FirstOrDefault(c => (string?)c["name"] == container)?["state"] as JsonObject;

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Server.DisposeAsync();
    }
}
