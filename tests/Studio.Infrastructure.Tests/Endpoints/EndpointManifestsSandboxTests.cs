using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Studio.Domain.Endpoints;
using Studio.Infrastructure.Endpoints;
using Studio.Infrastructure.Kubernetes;
using Studio.Sandbox;

namespace Studio.Infrastructure.Tests.Endpoints;

/// <summary>A deployment's objects and its endpoint's route applied to the sandbox (with the Gateway API) by the one server-side applier, read back by a plain client.</summary>
public sealed class EndpointManifestsSandboxTests : IAsyncLifetime
{
    private SandboxServer _sandbox = null!;
    private IKubernetes _client = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _sandbox = await SandboxServer.StartAsync(new SandboxOptions { Port = 0, GatewayApi = true, Simulate = false });
        _client = new k8s.Kubernetes(new KubernetesClientConfiguration { Host = _sandbox.BaseAddress.ToString() });
        await _client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = "team-a-ns" } }, cancellationToken: Ct);
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _sandbox.DisposeAsync();
    }

    [Fact]
    public async Task DeploymentServiceAndRoute_ApplyTwiceToTheSameObjects_AndDeleteRemovesThem()
    {
        var objects = EndpointManifests.Build(EndpointManifestsTests.Plan()).ToList();
        var endpoint = OnlineEndpoint.Create(Guid.NewGuid(), new OnlineEndpointSpec { Name = "my-endpoint", Compute = "k8s" }, Guid.NewGuid(), "team-a-ns", "k1", "k2", DateTimeOffset.UnixEpoch).Value;
        endpoint.SetTraffic(new Dictionary<string, int> { ["blue"] = 100 }, new Dictionary<string, int> { ["green"] = 20 }, ["blue", "green"], DateTimeOffset.UnixEpoch);
        objects.Add(EndpointRoutes.Build(endpoint, new Dictionary<string, string> { ["blue"] = "my-endpoint-blue", ["green"] = "my-endpoint-green" }, new GatewayReference("studio-gateway"), new Dictionary<string, string>()));

        foreach (var o in objects.Concat(objects))
        {
            await ServerSideApplier.ApplyAsync(_client, o, Ct);
        }

        var deployment = await _client.AppsV1.ReadNamespacedDeploymentAsync("my-endpoint-blue", "team-a-ns", cancellationToken: Ct);
        Assert.Equal(2, deployment.Spec.Replicas);
        Assert.Equal(EndpointManifests.InitContainer, deployment.Spec.Template.Spec.InitContainers.Single().Name);
        Assert.Equal([ServerSideApplier.FieldManager], deployment.Metadata.ManagedFields.Select(f => f.Manager).Distinct());
        Assert.Equal("my-endpoint-blue", (await _client.CoreV1.ReadNamespacedServiceAsync("my-endpoint-blue", "team-a-ns", cancellationToken: Ct)).Metadata.Name);
        var route = (JsonNode?)await ServerSideApplier.ReadAsync(_client, objects[2], Ct);
        Assert.Equal(20, (int)route!["spec"]!["rules"]![0]!["filters"]![0]!["requestMirror"]!["percent"]!);
        Assert.Single((await _client.AppsV1.ListNamespacedDeploymentAsync("team-a-ns", cancellationToken: Ct)).Items);

        foreach (var o in objects)
        {
            Assert.True(await ServerSideApplier.DeleteAsync(_client, o, Ct));
        }

        Assert.All(await Task.WhenAll(objects.Select(o => ServerSideApplier.ReadAsync(_client, o, Ct))), Assert.Null);
    }
}
