using k8s;
using k8s.Models;
using Studio.Domain.Endpoints;
using Studio.Infrastructure.Endpoints;
using Studio.Infrastructure.Kubernetes;
using Studio.Sandbox;

namespace Studio.Infrastructure.Tests.Endpoints;

/// <summary>A deployment's objects applied to the simulating sandbox, its rollout read back and mapped as the tracker will: ready replicas, and Azure ML's failure names.</summary>
public sealed class EndpointRolloutSandboxTests : IAsyncLifetime
{
    private SandboxServer _sandbox = null!;
    private IKubernetes _client = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _sandbox = await SandboxServer.StartAsync(new SandboxOptions { Port = 0, Speed = 50 });
        _client = new k8s.Kubernetes(new KubernetesClientConfiguration { Host = _sandbox.BaseAddress.ToString() });
        await _client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = "team-a-ns" } }, cancellationToken: Ct);
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _sandbox.DisposeAsync();
    }

    private async Task<DeploymentObservation> ApplyAndWatchAsync(DeploymentPlan plan, Func<DeploymentObservation, bool> until)
    {
        foreach (var o in EndpointManifests.Build(plan))
        {
            await ServerSideApplier.ApplyAsync(_client, o, Ct);
        }

        var deadline = DateTime.UtcNow.AddSeconds(60);
        DeploymentObservation observed;
        do
        {
            await Task.Delay(200, Ct);
            var deployment = await _client.AppsV1.ReadNamespacedDeploymentAsync(plan.KubernetesName, plan.Namespace, cancellationToken: Ct);
            var pods = await _client.CoreV1.ListNamespacedPodAsync(plan.Namespace, labelSelector: $"{EndpointManifests.DeploymentLabel}={plan.Deployment}", cancellationToken: Ct);
            observed = EndpointProjections.Observe(deployment, pods.Items, plan.Generation);
        }
        while (!until(observed) && DateTime.UtcNow < deadline);

        return observed;
    }

    [Fact]
    public async Task HealthyDeployment_RollsOutToEveryReplicaReady()
    {
        var plan = EndpointManifestsTests.Plan(modelUrl: null, codeUrl: null);

        var observed = await ApplyAndWatchAsync(plan, o => o.RolloutComplete || o.FailureReason is not null);

        Assert.Null(observed.FailureReason);
        Assert.True(observed.RolloutComplete, $"ready {observed.Ready}/{observed.Desired}");
        Assert.Equal((2, 2), (observed.Ready, observed.Desired));
    }

    [Fact]
    public async Task ImageThatCannotBePulled_IsImagePullLoopBackOff()
    {
        var spec = EndpointManifestsTests.Blue with { Image = "registry.example/does-not-exist:1" };
        var plan = EndpointManifestsTests.Plan(spec, modelUrl: null, codeUrl: null) with { Image = spec.Image! };

        var observed = await ApplyAndWatchAsync(plan, o => o.FailureReason is not null);

        Assert.Equal(DeploymentFailure.ImagePullLoopBackOff, observed.FailureReason);
        Assert.Contains("registry.example/does-not-exist:1", observed.FailureMessage, StringComparison.Ordinal);
        Assert.False(observed.RolloutComplete);
    }

    [Fact]
    public async Task ModelThatCannotBeFetched_FailsTheStorageInitializer()
    {
        var plan = EndpointManifestsTests.Plan(modelUrl: $"{_sandbox.BaseAddress}no-such-artifact.zip", codeUrl: null);

        var observed = await ApplyAndWatchAsync(plan, o => o.FailureReason is not null);

        Assert.Equal(DeploymentFailure.ResourceNotReady, observed.FailureReason);
        Assert.StartsWith("The storage-initializer step could not fetch the model or code", observed.FailureMessage, StringComparison.Ordinal);
    }
}
