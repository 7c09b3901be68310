using System.Text;
using k8s;
using k8s.Models;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Studio.Infrastructure.Live;
using Studio.Sandbox.Hosting;
using Studio.Web.Security;
using Studio.Web.Tests.Shared;

namespace Studio.Web.Tests.Live;

public sealed class LiveHubTests : IAsyncLifetime
{
    private readonly StudioWebFactory _factory = new() { SandboxEnabled = true };

    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync() => await _factory.DisposeAsync();

    private HubConnection Connect(string? user, bool messagePack = false)
    {
        var builder = new HubConnectionBuilder().WithUrl(new Uri(_factory.Server.BaseAddress, "/hubs/live"), o =>
        {
            o.Transports = HttpTransportType.LongPolling;
            o.HttpMessageHandlerFactory = _ => _factory.Server.CreateHandler();
            if (user is not null)
            {
                o.Headers["X-Test-User"] = user;
                o.Headers["X-Test-Roles"] = StudioRoles.Reader;
            }
        });
        if (messagePack)
        {
            builder.AddMessagePackProtocol();
        }
        else
        {
            builder.AddJsonProtocol(o => o.PayloadSerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter()));
        }

        return builder.Build();
    }

    [Fact]
    public async Task SubscribeCluster_SendsTheNodesInTheSnapshot_ThenANodeChangeFromTheCluster()
    {
        await using var client = new LiveClient(_factory.Server, "rob", StudioRoles.Administrator);
        await client.StartAsync(Ct);
        await client.SubscribeAsync("cluster:sandbox", Ct);

        var snapshot = await client.NextAsync(Ct);
        Assert.True(snapshot.IsSnapshot);
        var nodes = snapshot.Changes.Where(c => c.Value?.Node is not null).ToList();
        Assert.Equal(7, nodes.Count);
        var victim = nodes[0].Value!.Node!.Name;

        var kubeconfig = (await _factory.Services.GetRequiredService<SandboxHost>().Ready).CreateKubeconfigYaml();
        using var client8s = new k8s.Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(new MemoryStream(Encoding.UTF8.GetBytes(kubeconfig))));
        await client8s.CoreV1.PatchNodeStatusAsync(new V1Patch("""{"status":{"conditions":[{"type":"Ready","status":"False"}]}}""", V1Patch.PatchType.StrategicMergePatch), victim, cancellationToken: Ct);

        var key = LiveObject.NodeKey(victim);
        var updates = await client.UntilAsync(u => u.Changes.Any(c => c.Key == key && c.Value?.Node?.Ready == false), Ct);

        Assert.Equal(ChangeKind.Upsert, updates[^1].Changes.Single(c => c.Key == key).Kind);
        Assert.All(updates, u => Assert.False(u.IsSnapshot));
    }

    [Fact]
    public async Task SubscribeCluster_WithMessagePack_SendsTheNodesInTheSnapshot()
    {
        await using var client = new LiveClient(_factory.Server, "rob", StudioRoles.Administrator, messagePack: true);
        await client.StartAsync(Ct);
        await client.SubscribeAsync("cluster:sandbox", Ct);

        var snapshot = await client.NextAsync(Ct);

        Assert.True(snapshot.IsSnapshot);
        Assert.Equal(7, snapshot.Changes.Count(c => c.Value?.Node is not null));
    }

    [Fact]
    public async Task SubscribeCluster_ForAnUnknownCluster_FailsWithAClearMessage()
    {
        await using var client = new LiveClient(_factory.Server, "rob", StudioRoles.Administrator);
        await client.StartAsync(Ct);

        var error = await Assert.ThrowsAsync<Microsoft.AspNetCore.SignalR.HubException>(() => client.SubscribeAsync("cluster:nope", Ct));

        Assert.Contains("Cluster 'nope' is not registered.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WatchClusterNodes_IsGone_TheScopeSubscriptionReplacesIt()
    {
        await using var connection = Connect("rob");
        await connection.StartAsync(Ct);

        var error = await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            await foreach (var _ in connection.StreamAsync<object>("WatchClusterNodes", "sandbox", Ct))
            {
            }
        });

        Assert.Contains("WatchClusterNodes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Connect_WithoutSignIn_IsRefused()
    {
        await using var connection = Connect(null);

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => connection.StartAsync(Ct));

        Assert.True(error.Message.Contains("401", StringComparison.Ordinal), error.Message);
    }
}
