using System.Text;
using k8s;
using k8s.Models;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Studio.Infrastructure.Kubernetes.Inventory;
using Studio.Sandbox.Hosting;
using Studio.Web.Live;
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
    public async Task WatchClusterNodes_SendsSnapshot_ThenANodeChangeFromTheCluster()
    {
        await using var connection = Connect("rob");
        await connection.StartAsync(Ct);
        var stream = connection.StreamAsync<LiveBatch<NodeInfo>>("WatchClusterNodes", "sandbox", Ct).GetAsyncEnumerator(Ct);

        Assert.True(await stream.MoveNextAsync());
        Assert.True(stream.Current.IsSnapshot);
        Assert.Equal(7, stream.Current.Changes.Count);
        var victim = stream.Current.Changes[0].Key;

        var kubeconfig = (await _factory.Services.GetRequiredService<SandboxHost>().Ready).CreateKubeconfigYaml();
        using var client = new k8s.Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(new MemoryStream(Encoding.UTF8.GetBytes(kubeconfig))));
        await client.CoreV1.PatchNodeStatusAsync(new V1Patch("""{"status":{"conditions":[{"type":"Ready","status":"False"}]}}""", V1Patch.PatchType.StrategicMergePatch), victim, cancellationToken: Ct);

        LiveChange<NodeInfo>? change = null;
        while (change is null)
        {
            Assert.True(await stream.MoveNextAsync());
            change = stream.Current.Changes.FirstOrDefault(c => c.Key == victim && c.Value?.Ready == false);
        }

        Assert.Equal(ChangeKind.Upsert, change.Kind);
        await stream.DisposeAsync();
    }

    [Fact]
    public async Task WatchClusterNodes_WithMessagePack_SendsTheSnapshot()
    {
        await using var connection = Connect("rob", messagePack: true);
        await connection.StartAsync(Ct);

        await foreach (var batch in connection.StreamAsync<LiveBatch<NodeInfo>>("WatchClusterNodes", "sandbox", Ct))
        {
            Assert.True(batch.IsSnapshot);
            Assert.Equal(7, batch.Changes.Count);
            break;
        }
    }

    [Fact]
    public async Task WatchClusterNodes_ForUnknownCluster_FailsWithAClearMessage()
    {
        await using var connection = Connect("rob");
        await connection.StartAsync(Ct);

        var error = await Assert.ThrowsAsync<Microsoft.AspNetCore.SignalR.HubException>(async () =>
        {
            await foreach (var _ in connection.StreamAsync<LiveBatch<NodeInfo>>("WatchClusterNodes", "nope", Ct))
            {
            }
        });

        Assert.Contains("Cluster 'nope' is not registered.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Connect_WithoutSignIn_IsRefused()
    {
        await using var connection = Connect(null);

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => connection.StartAsync(Ct));

        Assert.True(error.Message.Contains("401", StringComparison.Ordinal), error.Message);
    }
}
