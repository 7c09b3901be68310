using System.Diagnostics;
using k8s;
using k8s.Models;

namespace Studio.Sandbox.Tests.Simulation;

/// <summary>
/// The Job controller is linear in the size of the pod template: a Job with 5,000 environment variables took 42.7 s
/// against 4.1 s as a bare Pod (every Job status write walked the whole template, and its field bookkeeping was
/// quadratic), and one with 20,000 stalled every other job on the cluster for 11 minutes.
/// </summary>
public sealed class LargeTemplateTests : IClassFixture<SimulatedCluster>
{
    private const int EnvCount = 5_000;
    private readonly SimulatedCluster _c;

    public LargeTemplateTests(SimulatedCluster cluster) => _c = cluster;

    private static V1PodSpec Spec(int envCount) => new()
    {
        RestartPolicy = "Never",
        Containers =
        [
            new V1Container
            {
                Name = "main",
                Image = "busybox:1.36",
                Command = ["sh", "-c", "echo hello; sleep 3"],
                Env = [.. Enumerable.Range(0, envCount).Select(i => new V1EnvVar { Name = $"VAR_{i:D5}", Value = $"value-{i}" })],
            },
        ],
    };

    private static V1Job Job(string name, int envCount) =>
        new() { Metadata = new V1ObjectMeta { Name = name }, Spec = new V1JobSpec { Template = new V1PodTemplateSpec { Spec = Spec(envCount) } } };

    [Fact]
    public async Task AJobWithThousandsOfEnvVars_CompletesAboutAsFastAsABarePod_AndDoesNotStallAnotherJob()
    {
        var ns = await _c.NewNamespaceAsync();
        var clock = Stopwatch.StartNew();
        await _c.Client.CoreV1.CreateNamespacedPodAsync(new V1Pod { Metadata = new V1ObjectMeta { Name = "bare" }, Spec = Spec(EnvCount) }, ns,
            cancellationToken: TestContext.Current.CancellationToken);
        await _c.WaitForAsync("pods", ns, "bare", p => (string?)p["status"]?["phase"] == "Succeeded", 600);
        var barePod = clock.Elapsed;

        clock.Restart();
        await _c.Client.BatchV1.CreateNamespacedJobAsync(Job("big", EnvCount), ns, cancellationToken: TestContext.Current.CancellationToken);
        await _c.Client.BatchV1.CreateNamespacedJobAsync(Job("small", 1), ns, cancellationToken: TestContext.Current.CancellationToken);
        var small = _c.WaitForAsync("jobs.batch", ns, "small", j => SimulatedCluster.HasCondition(j, "Complete"), 600)
            .ContinueWith(_ => clock.Elapsed, TaskScheduler.Default);
        var big = await _c.WaitForAsync("jobs.batch", ns, "big", j => SimulatedCluster.HasCondition(j, "Complete"), 600);
        var bigJob = clock.Elapsed;
        var smallJob = await small;

        Assert.Equal(1, (int?)big["status"]?["succeeded"]);
        // Same machine, same test, same template: the Job's controller work (a pod create and a few status writes) is a
        // small multiple of the bare pod's; it was ~10x at this size before, and grew with the square of the size.
        var budget = TimeSpan.FromTicks(Math.Max(barePod.Ticks, TimeSpan.FromSeconds(1).Ticks) * 6);
        Assert.True(bigJob < budget, $"{EnvCount} variables: bare pod {barePod.TotalSeconds:0.00} s, Job {bigJob.TotalSeconds:0.00} s");
        Assert.True(smallJob < budget, $"a one-variable Job created beside it took {smallJob.TotalSeconds:0.00} s (bare pod {barePod.TotalSeconds:0.00} s)");
    }
}
