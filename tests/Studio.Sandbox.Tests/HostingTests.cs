using k8s;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Studio.Sandbox.Hosting;

namespace Studio.Sandbox.Tests;

public sealed class HostingTests
{
    [Fact]
    public async Task AddSandboxCluster_StartsServerWithHost_AndStopsIt()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddSandboxCluster(o => o.Speed = 10);
        using var host = builder.Build();
        await host.StartAsync(TestContext.Current.CancellationToken);
        var server = await host.Services.GetRequiredService<SandboxHost>().Ready;
        using (var client = SandboxFixture_Create(server))
        {
            var nodes = await client.CoreV1.ListNodeAsync();
            Assert.NotEmpty(nodes.Items);
        }

        await host.StopAsync(TestContext.Current.CancellationToken);
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync("/version"));
    }

    private static Kubernetes SandboxFixture_Create(SandboxServer server) => SandboxFixture.CreateClient(server);

    [Theory]
    [InlineData("--bogus")]
    [InlineData("--port", "notaport")]
    [InlineData("--port", "70000")]
    [InlineData("--speed", "0")]
    [InlineData("--topology", "/definitely/not/here.yaml")]
    [InlineData("--kubeconfig")]
    [InlineData("--topology", "BAD_TOPOLOGY")]
    public async Task CommandLine_BadArguments_ExitWithCode2(params string[] args)
    {
        if (args is [_, "BAD_TOPOLOGY"])
        {
            args[1] = Path.Combine(Path.GetTempPath(), $"bad-topology-{Guid.NewGuid():N}.yaml"); // removed below
            await File.WriteAllTextAsync(args[1], "pools:\n  - name: x\n    count: many\n", TestContext.Current.CancellationToken);
        }

        var error = new StringWriter();
        var original = Console.Error;
        Console.SetError(error);
        try
        {
            Assert.Equal(2, await SandboxCommandLine.RunAsync(args));
        }
        finally
        {
            Console.SetError(original);
        }

        Assert.StartsWith("error: ", error.ToString(), StringComparison.Ordinal);
        if (args.Length == 2 && args[1].Contains("bad-topology-", StringComparison.Ordinal))
        {
            File.Delete(args[1]);
        }
    }

    [Fact]
    public async Task Topology_FromFile_DefinesTheNodes()
    {
        var path = Path.Combine(Path.GetTempPath(), $"topology-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(path, """
            pools:
              - name: big
                count: 2
                instanceType: Standard_ND96asr_v4
                cpu: "96"
                memory: 900Gi
                gpus: 8
                gpuProduct: NVIDIA-A100-SXM4-40GB
                taints: [{key: sku, value: gpu, effect: NoSchedule}]
            """, TestContext.Current.CancellationToken);
        try
        {
            await using var server = await SandboxServer.StartAsync(new SandboxOptions { TopologyPath = path });
            using var client = SandboxFixture.CreateClient(server);
            var nodes = (await client.CoreV1.ListNodeAsync()).Items;
            Assert.Equal(2, nodes.Count);
            Assert.All(nodes, n =>
            {
                Assert.Equal("8", n.Status.Capacity["nvidia.com/gpu"].ToString());
                Assert.Equal("NVIDIA-A100-SXM4-40GB", n.Metadata.Labels["nvidia.com/gpu.product"]);
                Assert.Equal("sku", Assert.Single(n.Spec.Taints).Key);
            });
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public Task Standalone_PrintsOneReadyLine_WritesKubeconfig_AndStopsCleanlyOnSigint() => RunStandaloneAndInterruptAsync(ignoreInterrupt: false);

    /// <summary>
    /// A background job of a non-interactive shell or a CI runner starts with SIGINT ignored, and the child inherits it:
    /// the sandbox must still stop on <c>kill -INT</c> (it ran on for good before, and the test above timed out on CI).
    /// </summary>
    [Fact]
    public Task Standalone_StartedWithSigintIgnored_StillStopsCleanlyOnSigint() => RunStandaloneAndInterruptAsync(ignoreInterrupt: true);

    private static async Task RunStandaloneAndInterruptAsync(bool ignoreInterrupt)
    {
        Assert.SkipUnless(OperatingSystem.IsLinux() || OperatingSystem.IsMacOS(), "sends SIGINT with /bin/kill");
        var dll = Path.Combine(AppContext.BaseDirectory, "Studio.Sandbox.dll");
        var kubeconfig = Path.Combine(Path.GetTempPath(), $"sandbox-kc-{Guid.NewGuid():N}.yaml");
        // `trap "" INT` sets SIGINT to ignored, and exec keeps that disposition for the sandbox, as a shell's `&` does.
        var psi = ignoreInterrupt
            ? new System.Diagnostics.ProcessStartInfo("/bin/sh") { ArgumentList = { "-c", "trap '' INT; exec dotnet \"$@\"", "sh" } }
            : new System.Diagnostics.ProcessStartInfo("dotnet");
        psi.RedirectStandardOutput = true;
        psi.RedirectStandardError = true;
        foreach (var a in new[] { dll, "--port", "0", "--kubeconfig", kubeconfig })
        {
            psi.ArgumentList.Add(a);
        }

        using var process = System.Diagnostics.Process.Start(psi)!;
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cts.CancelAfter(TimeSpan.FromSeconds(60)); // safety net only
        try
        {
            var ready = await process.StandardOutput.ReadLineAsync(cts.Token);
            Assert.Matches(@"^Sandbox cluster ready at http://127\.0\.0\.1:\d+ \(kubeconfig: .+\)$", ready);
            using (var stream = File.OpenRead(kubeconfig))
            using (var client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(stream)))
            {
                Assert.NotEmpty((await client.CoreV1.ListNodeAsync(cancellationToken: cts.Token)).Items);
            }

            using (var kill = System.Diagnostics.Process.Start("kill", ["-INT", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync(cts.Token);
            }

            await process.WaitForExitAsync(cts.Token);
            Assert.Equal(0, process.ExitCode);
            Assert.Equal("", (await process.StandardOutput.ReadToEndAsync(cts.Token)).Trim());
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill();
            }

            File.Delete(kubeconfig);
        }
    }
}
