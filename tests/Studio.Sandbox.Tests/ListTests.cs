using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Studio.Sandbox.Tests;

public sealed class ListTests(SandboxFixture sandbox)
{
    [Fact]
    public async Task List_WithLimit_PagesThroughEverythingWithContinueTokens()
    {
        var ns = await sandbox.NewNamespaceAsync();
        for (var i = 0; i < 23; i++)
        {
            await sandbox.Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = $"cm-{i:D2}" } }, ns);
        }

        var names = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var page = await sandbox.Client.CoreV1.ListNamespacedConfigMapAsync(ns, limit: 5, continueParameter: token);
            names.AddRange(page.Items.Select(c => c.Metadata.Name));
            token = page.Metadata.ContinueProperty;
            pages++;
        }
        while (!string.IsNullOrEmpty(token));

        Assert.Equal(5, pages);
        Assert.Equal(Enumerable.Range(0, 23).Select(i => $"cm-{i:D2}"), names.Where(n => n.StartsWith("cm-", StringComparison.Ordinal)));
    }

    /// <summary>
    /// etcd keeps revisions for its compaction window, not for a number of changes: a continue token stays good after far
    /// more writes than the watch history holds (the Inventory bench's raw LIST of 150,000 pods got 410 half way before).
    /// </summary>
    [Fact]
    public async Task List_ContinueToken_StaysValidUnderChurnBeyondTheWatchHistory()
    {
        await using var server = await SandboxServer.StartAsync(new SandboxOptions { Simulate = false, SeedNodes = false, WatchHistorySize = 16 });
        using var client = SandboxFixture.CreateClient(server);
        for (var i = 0; i < 6; i++)
        {
            await client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = $"cm-{i}" } }, "default", cancellationToken: TestContext.Current.CancellationToken);
        }

        var first = await client.CoreV1.ListNamespacedConfigMapAsync("default", limit: 2, cancellationToken: TestContext.Current.CancellationToken);
        for (var i = 0; i < 40; i++)
        {
            await client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = $"churn-{i}" } }, "kube-system", cancellationToken: TestContext.Current.CancellationToken);
        }

        var second = await client.CoreV1.ListNamespacedConfigMapAsync("default", limit: 2, continueParameter: first.Metadata.ContinueProperty, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(["cm-2", "cm-3"], second.Items.Select(c => c.Metadata.Name));
        Assert.Equal(first.Metadata.ResourceVersion, second.Metadata.ResourceVersion);
    }

    [Fact]
    public async Task List_ContinueToken_ExpiresWith410Once_ANewerWriteIsOlderThanTheCompactionInterval()
    {
        await using var server = await SandboxServer.StartAsync(new SandboxOptions { Simulate = false, SeedNodes = false, CompactionInterval = TimeSpan.FromMilliseconds(300) });
        using var client = SandboxFixture.CreateClient(server);
        for (var i = 0; i < 4; i++)
        {
            await client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = $"cm-{i}" } }, "default", cancellationToken: TestContext.Current.CancellationToken);
        }

        var quiet = await client.CoreV1.ListNamespacedConfigMapAsync("default", limit: 1, cancellationToken: TestContext.Current.CancellationToken);
        await Task.Delay(1200, TestContext.Current.CancellationToken);
        // Nothing written since: the list's revision is still the newest, nothing to compact.
        var stillGood = await client.CoreV1.ListNamespacedConfigMapAsync("default", limit: 1, continueParameter: quiet.Metadata.ContinueProperty, cancellationToken: TestContext.Current.CancellationToken);
        await client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "newer" } }, "kube-system", cancellationToken: TestContext.Current.CancellationToken);
        await Task.Delay(1200, TestContext.Current.CancellationToken);

        var e = await Assert.ThrowsAsync<HttpOperationException>(() => client.CoreV1.ListNamespacedConfigMapAsync("default", limit: 1, continueParameter: stillGood.Metadata.ContinueProperty, cancellationToken: TestContext.Current.CancellationToken));
        Assert.Equal(HttpStatusCode.Gone, e.Response.StatusCode);
        Assert.Contains("\"reason\":\"Expired\"", e.Response.Content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_InvalidContinueToken_Returns400()
    {
        var e = await Assert.ThrowsAsync<HttpOperationException>(() => sandbox.Client.CoreV1.ListNamespacedPodAsync("default", continueParameter: "%%%"));
        Assert.Equal(HttpStatusCode.BadRequest, e.Response.StatusCode);
    }

    [Theory]
    [InlineData("app=web", "a,b")]
    [InlineData("app==web", "a,b")]
    [InlineData("app!=web", "c,d")]
    [InlineData("tier in (front,back)", "a,c")]
    [InlineData("tier notin (front)", "b,c,d")]
    [InlineData("tier", "a,b,c")]
    [InlineData("!tier", "d")]
    [InlineData("app=web,tier=front", "a")]
    public async Task List_LabelSelector_SupportsEveryOperator(string selector, string expected)
    {
        var ns = await sandbox.NewNamespaceAsync();
        var labels = new Dictionary<string, Dictionary<string, string>>
        {
            ["a"] = new() { ["app"] = "web", ["tier"] = "front" },
            ["b"] = new() { ["app"] = "web", ["tier"] = "middle" },
            ["c"] = new() { ["app"] = "db", ["tier"] = "back" },
            ["d"] = new() { ["app"] = "db" },
        };
        foreach (var (name, l) in labels)
        {
            await sandbox.Client.CoreV1.CreateNamespacedPodAsync(Pods.New(name, l), ns);
        }

        var list = await sandbox.Client.CoreV1.ListNamespacedPodAsync(ns, labelSelector: selector);
        Assert.Equal(expected, string.Join(",", list.Items.Select(p => p.Metadata.Name)));
    }

    [Fact]
    public async Task List_FieldSelector_FiltersOnPhaseNodeNameAndName()
    {
        var ns = await sandbox.NewNamespaceAsync();
        var client = sandbox.Client;
        foreach (var name in new[] { "a", "b", "c" })
        {
            await client.CoreV1.CreateNamespacedPodAsync(Pods.New(name), ns);
        }

        await client.CoreV1.PatchNamespacedPodAsync(new V1Patch("""{"spec":{"nodeName":"node-1"}}""", V1Patch.PatchType.MergePatch), "a", ns);
        await client.CoreV1.PatchNamespacedPodStatusAsync(new V1Patch("""{"status":{"phase":"Running"}}""", V1Patch.PatchType.MergePatch), "a", ns);
        await client.CoreV1.PatchNamespacedPodStatusAsync(new V1Patch("""{"status":{"phase":"Succeeded"}}""", V1Patch.PatchType.MergePatch), "b", ns);

        Assert.Equal(["a"], (await client.CoreV1.ListNamespacedPodAsync(ns, fieldSelector: "status.phase=Running")).Items.Select(p => p.Metadata.Name));
        Assert.Equal(["a"], (await client.CoreV1.ListNamespacedPodAsync(ns, fieldSelector: "spec.nodeName=node-1")).Items.Select(p => p.Metadata.Name));
        Assert.Equal(["b", "c"], (await client.CoreV1.ListNamespacedPodAsync(ns, fieldSelector: "spec.nodeName=")).Items.Select(p => p.Metadata.Name));
        Assert.Equal(["b"], (await client.CoreV1.ListNamespacedPodAsync(ns, fieldSelector: "metadata.name=b")).Items.Select(p => p.Metadata.Name));
        Assert.Equal(["a", "c"], (await client.CoreV1.ListNamespacedPodAsync(ns, fieldSelector: "status.phase!=Succeeded")).Items.Select(p => p.Metadata.Name));
        Assert.Equal(["c"], (await client.CoreV1.ListPodForAllNamespacesAsync(fieldSelector: $"metadata.namespace={ns},status.phase=Pending")).Items.Select(p => p.Metadata.Name));
    }

    [Fact]
    public async Task List_EventsByInvolvedObject_UsesEventFieldSelectors()
    {
        var ns = await sandbox.NewNamespaceAsync();
        foreach (var (name, pod) in new[] { ("e1", "p1"), ("e2", "p2") })
        {
            await sandbox.Client.CoreV1.CreateNamespacedEventAsync(new Corev1Event
            {
                Metadata = new V1ObjectMeta { Name = name },
                InvolvedObject = new V1ObjectReference { Kind = "Pod", Name = pod, NamespaceProperty = ns },
                Reason = "Scheduled",
                Message = "m",
                Type = "Normal",
            }, ns);
        }

        var events = await sandbox.Client.CoreV1.ListNamespacedEventAsync(ns, fieldSelector: "involvedObject.kind=Pod,involvedObject.name=p2");
        Assert.Equal(["e2"], events.Items.Select(e => e.Metadata.Name));
    }

    [Fact]
    public async Task List_UnsupportedFieldSelector_Returns400()
    {
        var e = await Assert.ThrowsAsync<HttpOperationException>(() => sandbox.Client.CoreV1.ListNamespacedPodAsync("default", fieldSelector: "spec.foo=bar"));
        Assert.Equal(HttpStatusCode.BadRequest, e.Response.StatusCode);
        Assert.Contains("field label not supported: spec.foo", e.Response.Content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_AsTable_ReturnsThePodColumnsARealServerPrints()
    {
        var ns = await sandbox.NewNamespaceAsync();
        await sandbox.Client.CoreV1.CreateNamespacedPodAsync(Pods.New("web"), ns);
        var (code, table) = await sandbox.SendAsync(HttpMethod.Get, $"/api/v1/namespaces/{ns}/pods?limit=500",
            accept: "application/json;as=Table;v=v1;g=meta.k8s.io,application/json");
        Assert.Equal(200, code);
        Assert.Equal("Table", (string?)table!["kind"]);
        var columns = table["columnDefinitions"]!.AsArray().Where(c => (int)c!["priority"]! == 0).Select(c => (string?)c!["name"]);
        Assert.Equal(["Name", "Ready", "Status", "Restarts", "Age"], columns);
        var cells = table["rows"]![0]!["cells"]!.AsArray().Take(4).Select(c => c!.ToString());
        Assert.Equal(["web", "0/1", "Pending", "0"], cells);
    }

    [Fact]
    public async Task NodesTable_HasStatusRolesAgeVersion()
    {
        var (_, table) = await sandbox.SendAsync(HttpMethod.Get, "/api/v1/nodes", accept: "application/json;as=Table;v=v1;g=meta.k8s.io");
        var columns = table!["columnDefinitions"]!.AsArray().Where(c => (int)c!["priority"]! == 0).Select(c => (string?)c!["name"]);
        Assert.Equal(["Name", "Status", "Roles", "Age", "Version"], columns);
        Assert.All(table["rows"]!.AsArray(), r => Assert.Equal("Ready", (string?)r!["cells"]![1]));
    }

    [Fact]
    public async Task JobsTable_HasStatusCompletionsDuration()
    {
        var ns = await sandbox.NewNamespaceAsync();
        await sandbox.SendAsync(HttpMethod.Post, $"/apis/batch/v1/namespaces/{ns}/jobs",
            """{"apiVersion":"batch/v1","kind":"Job","metadata":{"name":"train"},"spec":{"template":{"spec":{"restartPolicy":"Never","containers":[{"name":"c","image":"i"}]}}}}""");
        var (_, table) = await sandbox.SendAsync(HttpMethod.Get, $"/apis/batch/v1/namespaces/{ns}/jobs", accept: "application/json;as=Table;v=v1;g=meta.k8s.io");
        var columns = table!["columnDefinitions"]!.AsArray().Where(c => (int)c!["priority"]! == 0).Select(c => (string?)c!["name"]);
        Assert.Equal(["Name", "Status", "Completions", "Duration", "Age"], columns);
        Assert.Equal(["train", "Running", "0/1"], table["rows"]![0]!["cells"]!.AsArray().Take(3).Select(c => c!.ToString()));
    }

    [Fact]
    public async Task Seed_HasSystemNamespacesAndGpuNodes()
    {
        var namespaces = (await sandbox.Client.CoreV1.ListNamespaceAsync()).Items.Select(n => n.Metadata.Name).ToList();
        Assert.Contains("default", namespaces);
        Assert.Contains("kube-system", namespaces);
        Assert.Contains("kube-public", namespaces);
        Assert.Contains("kube-node-lease", namespaces);

        var nodes = (await sandbox.Client.CoreV1.ListNodeAsync(labelSelector: "nvidia.com/gpu.product")).Items;
        Assert.Equal(2, nodes.Select(n => n.Metadata.Labels["agentpool"]).Distinct().Count());
        Assert.All(nodes, n => Assert.True(n.Status.Capacity.ContainsKey("nvidia.com/gpu")));
        Assert.All((await sandbox.Client.CoreV1.ListNodeAsync()).Items, n => Assert.True(n.Metadata.Labels.ContainsKey("node.kubernetes.io/instance-type")));
    }
}
