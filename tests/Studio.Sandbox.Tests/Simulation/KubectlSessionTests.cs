namespace Studio.Sandbox.Tests.Simulation;

/// <summary>A kubectl session against the simulated cluster: jobs, logs, rollouts and scheduling events.</summary>
public sealed class KubectlSessionTests : IClassFixture<SimulatedKubectl>
{
    private readonly SimulatedKubectl _k;

    public KubectlSessionTests(SimulatedKubectl kubectl) => _k = kubectl;

    [Fact]
    public async Task ApplyAJobWaitForCompleteAndReadItsLogs()
    {
        KubectlFixture.RequireKubectl();
        var ns = await _k.Cluster.NewNamespaceAsync();
        var file = _k.WriteFile("job.yaml", """
            apiVersion: batch/v1
            kind: Job
            metadata:
              name: hello
            spec:
              template:
                spec:
                  restartPolicy: Never
                  containers:
                  - name: main
                    image: busybox:1.36
                    command: ["sh", "-c", "echo hello from the sandbox"]
            """);

        await _k.OkAsync("apply", "-n", ns, "-f", file);
        await _k.OkAsync("wait", "-n", ns, "--for=condition=complete", "job/hello", "--timeout=60s");
        var logs = await _k.OkAsync("logs", "-n", ns, "job/hello");

        Assert.Equal("hello from the sandbox\n", logs);
    }

    [Fact]
    public async Task RolloutStatusWaitsForADeploymentToBeAvailable()
    {
        KubectlFixture.RequireKubectl();
        var ns = await _k.Cluster.NewNamespaceAsync();
        var file = _k.WriteFile("deploy.yaml", """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: api
            spec:
              replicas: 2
              selector:
                matchLabels: {app: api}
              template:
                metadata:
                  labels: {app: api}
                spec:
                  containers:
                  - name: api
                    image: nginx:1.27
                    resources: {requests: {cpu: 100m, memory: 64Mi}}
            """);

        await _k.OkAsync("apply", "-n", ns, "-f", file);
        var output = await _k.OkAsync("rollout", "status", "-n", ns, "deployment/api", "--timeout=60s");

        Assert.Contains("deployment \"api\" successfully rolled out", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetEventsShowsFailedSchedulingForAnImpossibleGpuRequest()
    {
        KubectlFixture.RequireKubectl();
        var ns = await _k.Cluster.NewNamespaceAsync();
        var file = _k.WriteFile("gpu.yaml", """
            apiVersion: v1
            kind: Pod
            metadata:
              name: eight-gpus
            spec:
              containers:
              - name: train
                image: pytorch/pytorch:2.4.0-cuda12.1-cudnn9-runtime
                resources:
                  limits: {nvidia.com/gpu: 8}
            """);

        await _k.OkAsync("apply", "-n", ns, "-f", file);
        await _k.Cluster.WaitForAnyAsync("events", ns, e => (string?)e["reason"] == "FailedScheduling", "FailedScheduling event");
        var events = await _k.OkAsync("get", "events", "-n", ns, "--field-selector", "involvedObject.name=eight-gpus");

        Assert.Contains("FailedScheduling", events, StringComparison.Ordinal);
        Assert.Contains("0/7 nodes are available: 7 Insufficient nvidia.com/gpu.", events, StringComparison.Ordinal);
    }
}
