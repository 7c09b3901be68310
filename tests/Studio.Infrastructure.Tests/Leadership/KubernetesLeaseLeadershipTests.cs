using System.Diagnostics;
using System.Text;
using k8s;
using Microsoft.Extensions.Logging.Abstractions;
using Studio.Infrastructure.Leadership;
using Studio.Sandbox;

namespace Studio.Infrastructure.Tests.Leadership;

/// <summary>Two replicas electing their leader through a Kubernetes Lease (KubernetesClient's leader election) on a sandbox.</summary>
public sealed class KubernetesLeaseLeadershipTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly LeadershipOptions Options = new() { LeaseName = "studio-leader", LeaseDuration = TimeSpan.FromSeconds(6), RenewDeadline = TimeSpan.FromSeconds(4), RetryPeriod = TimeSpan.FromSeconds(1) };

    /// <summary>A client whose requests can be cut off, as a dead (or partitioned) replica's.</summary>
    private sealed class Cuttable : DelegatingHandler
    {
        public volatile bool Cut;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Cut ? throw new HttpRequestException("cut off") : base.SendAsync(request, cancellationToken);
    }

    private static (ElectedLeadership Leadership, Cuttable Wire) Replica(SandboxServer sandbox, string identity)
    {
        var wire = new Cuttable();
        var configuration = KubernetesClientConfiguration.BuildConfigFromConfigFile(new MemoryStream(Encoding.UTF8.GetBytes(sandbox.CreateKubeconfigYaml())));
        var client = new k8s.Kubernetes(configuration, wire);
        var options = new LeadershipOptions { Identity = identity, LeaseName = Options.LeaseName, LeaseDuration = Options.LeaseDuration, RenewDeadline = Options.RenewDeadline, RetryPeriod = Options.RetryPeriod };
        var elector = new KubernetesLeaseElector(client, "default", options, NullLogger<KubernetesLeaseElector>.Instance);
        return (new ElectedLeadership(elector, options.RetryPeriod, NullLogger<ElectedLeadership>.Instance), wire);
    }

    [Fact]
    public async Task LeaderDies_TheOtherTakesTheLeaseWithin15Seconds()
    {
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions { Port = 0, Simulate = false }, Ct);
        var (a, wireA) = Replica(sandbox, "replica-a");
        var (b, _) = Replica(sandbox, "replica-b");
        await using (a)
        await using (b)
        {
            var termA = await a.WaitForTermAsync(Ct).WaitAsync(TimeSpan.FromSeconds(15), Ct);
            var waitingB = b.WaitForTermAsync(Ct);
            await Task.Delay(TimeSpan.FromSeconds(2), Ct);
            Assert.False(waitingB.IsCompleted);
            using var reader = new k8s.Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(new MemoryStream(Encoding.UTF8.GetBytes(sandbox.CreateKubeconfigYaml()))));
            Assert.Equal("replica-a", (await reader.CoordinationV1.ReadNamespacedLeaseAsync("studio-leader", "default", cancellationToken: Ct)).Spec.HolderIdentity);

            var clock = Stopwatch.StartNew();
            wireA.Cut = true;
            await waitingB.WaitAsync(TimeSpan.FromSeconds(15), Ct);

            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"took over after {clock.Elapsed.TotalSeconds:0.0} s");
            Assert.Equal("replica-b", (await reader.CoordinationV1.ReadNamespacedLeaseAsync("studio-leader", "default", cancellationToken: Ct)).Spec.HolderIdentity);
            // The cut-off replica stops leading by itself once it could not renew within the deadline.
            var deadline = DateTime.UtcNow.AddSeconds(15);
            while (!termA.IsCancellationRequested && DateTime.UtcNow < deadline)
            {
                await Task.Delay(100, Ct);
            }

            Assert.True(termA.IsCancellationRequested);
        }
    }

    [Fact]
    public async Task LeaderStops_DeletesItsLease_AndTheOtherLeadsWithoutWaitingForItToExpire()
    {
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions { Port = 0, Simulate = false }, Ct);
        var (a, _) = Replica(sandbox, "replica-a");
        var (b, _) = Replica(sandbox, "replica-b");
        await using (b)
        {
            await using (a)
            {
                await a.WaitForTermAsync(Ct).WaitAsync(TimeSpan.FromSeconds(15), Ct);
                _ = b.WaitForTermAsync(Ct);
                await Task.Delay(TimeSpan.FromSeconds(2), Ct);
                Assert.False(b.IsLeader);
            }

            var clock = Stopwatch.StartNew();
            await b.WaitForTermAsync(Ct).WaitAsync(TimeSpan.FromSeconds(15), Ct);

            Assert.True(clock.Elapsed < Options.LeaseDuration, $"took over after {clock.Elapsed.TotalSeconds:0.0} s (the Lease lasts {Options.LeaseDuration.TotalSeconds} s)");
        }
    }

    [Fact]
    public void AutoMode_ChoosesByDatabaseAndPlace()
    {
        Assert.Equal(LeadershipMode.Single, Leaderships.Resolve(LeadershipMode.Auto, Studio.Infrastructure.Persistence.DatabaseProvider.Sqlite, inCluster: true));
        Assert.Equal(LeadershipMode.Database, Leaderships.Resolve(LeadershipMode.Auto, Studio.Infrastructure.Persistence.DatabaseProvider.PostgreSQL, inCluster: false));
        Assert.Equal(LeadershipMode.Kubernetes, Leaderships.Resolve(LeadershipMode.Auto, Studio.Infrastructure.Persistence.DatabaseProvider.PostgreSQL, inCluster: true));
        Assert.Throws<InvalidOperationException>(() => Leaderships.Resolve(LeadershipMode.Database, Studio.Infrastructure.Persistence.DatabaseProvider.Sqlite, inCluster: false));
    }
}
