using k8s;
using k8s.Models;
using Studio.Infrastructure.Kubernetes;
using Studio.Sandbox;

namespace Studio.Infrastructure.Tests.Kubernetes;

/// <summary>The one applier every feature writes through, against the sandbox over HTTP.</summary>
public sealed class ServerSideApplierTests : IAsyncLifetime
{
    private SandboxServer _sandbox = null!;
    private IKubernetes _client = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _sandbox = await SandboxServer.StartAsync(new SandboxOptions { Port = 0 });
        _client = new k8s.Kubernetes(new KubernetesClientConfiguration { Host = _sandbox.BaseAddress.ToString() });
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _sandbox.DisposeAsync();
    }

    private static ManifestObject Settings(string value) => new("v1", "ConfigMap", "default", "applier-test", new V1ConfigMap
    {
        ApiVersion = "v1",
        Kind = "ConfigMap",
        Metadata = new V1ObjectMeta { Name = "applier-test", NamespaceProperty = "default" },
        Data = new Dictionary<string, string> { ["key"] = value },
    });

    [Fact]
    public async Task Apply_Twice_ConvergesOnOneObjectOwnedByTheStudioFieldManager()
    {
        await ServerSideApplier.ApplyAsync(_client, Settings("a"), Ct);
        var applied = await ServerSideApplier.ApplyAsync<V1ConfigMap>(_client, Settings("b"), Ct);

        Assert.Equal("b", applied.Data["key"]);
        var live = await ServerSideApplier.ReadAsync(_client, Settings("b"), Ct);
        Assert.NotNull(live);
        Assert.True(ServerSideApplier.IsApplied(live, Settings("b").Body));
        Assert.False(ServerSideApplier.IsApplied(live, Settings("c").Body));
        var stored = await _client.CoreV1.ReadNamespacedConfigMapAsync("applier-test", "default", cancellationToken: Ct);
        Assert.Equal([ServerSideApplier.FieldManager], stored.Metadata.ManagedFields.Select(f => f.Manager).Distinct());
    }

    [Fact]
    public async Task Delete_WhenTheObjectIsAlreadyGone_ReturnsFalse()
    {
        await ServerSideApplier.ApplyAsync(_client, Settings("a"), Ct);

        Assert.True(await ServerSideApplier.DeleteAsync(_client, Settings("a"), Ct));
        Assert.False(await ServerSideApplier.DeleteAsync(_client, Settings("a"), Ct));
        Assert.Null(await ServerSideApplier.ReadAsync(_client, Settings("a"), Ct));
    }

    [Fact]
    public void ManifestObject_OfACustomKind_IsAddressedByGroupVersionAndPlural()
    {
        var podGroup = new ManifestObject("scheduling.volcano.sh/v1beta1", "PodGroup", "team", "train", new object());
        var core = new ManifestObject("v1", "ConfigMap", "team", "settings", new object());

        Assert.Equal(("scheduling.volcano.sh", "v1beta1", "podgroups"), (podGroup.Group, podGroup.Version, podGroup.Plural));
        Assert.Equal((string.Empty, "v1"), (core.Group, core.Version));
        Assert.Equal("instancetypes", (podGroup with { Plural = "instancetypes" }).Plural);
    }
}
