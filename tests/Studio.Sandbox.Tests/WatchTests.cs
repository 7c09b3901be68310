using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace Studio.Sandbox.Tests;

public sealed class WatchTests(SandboxFixture sandbox)
{
    private static CancellationTokenSource Deadline() => CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);

    private static async Task<List<(WatchEventType Type, T Obj)>> TakeAsync<T>(IAsyncEnumerable<(WatchEventType, T)> events, int count, CancellationTokenSource cts)
    {
        cts.CancelAfter(TimeSpan.FromSeconds(20)); // safety net only: a hang fails instead of blocking the run
        var list = new List<(WatchEventType, T)>();
        await foreach (var e in events.WithCancellation(cts.Token))
        {
            list.Add(e);
            if (list.Count == count)
            {
                break;
            }
        }

        return list;
    }

    [Fact]
    public async Task Watch_FromResourceVersion_SeesOnlyLaterEvents()
    {
        var ns = await sandbox.NewNamespaceAsync();
        var client = sandbox.Client;
        await client.CoreV1.CreateNamespacedPodAsync(Pods.New("a"), ns);
        await client.CoreV1.CreateNamespacedPodAsync(Pods.New("b"), ns);
        var rv = (await client.CoreV1.ListNamespacedPodAsync(ns)).Metadata.ResourceVersion;

        await client.CoreV1.CreateNamespacedPodAsync(Pods.New("c"), ns);
        await client.CoreV1.PatchNamespacedPodAsync(new V1Patch("""{"metadata":{"labels":{"x":"y"}}}""", V1Patch.PatchType.MergePatch), "a", ns);
        await client.CoreV1.DeleteNamespacedPodAsync("b", ns);

        using var cts = Deadline();
        var watch = client.CoreV1.WatchListNamespacedPodAsync(ns, resourceVersion: rv, cancellationToken: cts.Token);
        var events = await TakeAsync(watch, 3, cts);
        Assert.Equal(["Added c", "Modified a", "Deleted b"], events.Select(e => $"{e.Type} {e.Obj.Metadata.Name}"));
        Assert.True(long.Parse(events[^1].Obj.Metadata.ResourceVersion, System.Globalization.CultureInfo.InvariantCulture) > long.Parse(rv, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Watch_FromListResourceVersion_DeliversNewChangesAndNoReplays()
    {
        var ns = await sandbox.NewNamespaceAsync();
        var client = sandbox.Client;
        await client.CoreV1.CreateNamespacedPodAsync(Pods.New("old"), ns);
        var rv = (await client.CoreV1.ListNamespacedPodAsync(ns)).Metadata.ResourceVersion;

        using var cts = Deadline();
        var pending = TakeAsync(client.CoreV1.WatchListNamespacedPodAsync(ns, resourceVersion: rv, cancellationToken: cts.Token), 1, cts);
        await client.CoreV1.CreateNamespacedPodAsync(Pods.New("new"), ns);
        var events = await pending;
        Assert.Equal("Added new", $"{events[0].Type} {events[0].Obj.Metadata.Name}");
    }

    [Fact]
    public async Task Watch_WithoutResourceVersion_StartsWithSyntheticAddedEvents()
    {
        var ns = await sandbox.NewNamespaceAsync();
        await sandbox.Client.CoreV1.CreateNamespacedPodAsync(Pods.New("x"), ns);
        await sandbox.Client.CoreV1.CreateNamespacedPodAsync(Pods.New("y"), ns);
        using var cts = Deadline();
        var events = await TakeAsync(sandbox.Client.CoreV1.WatchListNamespacedPodAsync(ns, cancellationToken: cts.Token), 2, cts);
        Assert.Equal(["Added x", "Added y"], events.Select(e => $"{e.Type} {e.Obj.Metadata.Name}"));
    }

    [Fact]
    public async Task Watch_LabelSelector_ObjectLeavingAndReenteringSelectorIsDeletedThenAdded()
    {
        var ns = await sandbox.NewNamespaceAsync();
        var client = sandbox.Client;
        var rv = (await client.CoreV1.ListNamespacedPodAsync(ns)).Metadata.ResourceVersion;
        await client.CoreV1.CreateNamespacedPodAsync(Pods.New("p", new Dictionary<string, string> { ["app"] = "web" }), ns);
        await client.CoreV1.CreateNamespacedPodAsync(Pods.New("other", new Dictionary<string, string> { ["app"] = "db" }), ns);
        await client.CoreV1.PatchNamespacedPodAsync(new V1Patch("""{"metadata":{"labels":{"app":"db"}}}""", V1Patch.PatchType.MergePatch), "p", ns);
        await client.CoreV1.PatchNamespacedPodAsync(new V1Patch("""{"metadata":{"labels":{"app":"web"}}}""", V1Patch.PatchType.MergePatch), "p", ns);

        using var cts = Deadline();
        var events = await TakeAsync(client.CoreV1.WatchListNamespacedPodAsync(ns, labelSelector: "app=web", resourceVersion: rv, cancellationToken: cts.Token), 3, cts);
        Assert.Equal(["Added p", "Deleted p", "Added p"], events.Select(e => $"{e.Type} {e.Obj.Metadata.Name}"));
    }

    [Fact]
    public async Task Watch_SendInitialEvents_EndsInitialListWithBookmark()
    {
        var ns = await sandbox.NewNamespaceAsync();
        await sandbox.Client.CoreV1.CreateNamespacedPodAsync(Pods.New("x"), ns);
        using var cts = Deadline();
        var events = await TakeAsync(sandbox.Client.CoreV1.WatchListNamespacedPodAsync(ns, allowWatchBookmarks: true, sendInitialEvents: true,
            resourceVersionMatch: "NotOlderThan", cancellationToken: cts.Token), 2, cts);
        Assert.Equal(WatchEventType.Added, events[0].Type);
        Assert.Equal(WatchEventType.Bookmark, events[1].Type);
        Assert.Equal("true", events[1].Obj.Metadata.Annotations["k8s.io/initial-events-end"]);
    }

    [Fact]
    public async Task Watch_AllowBookmarks_SendsPeriodicBookmarksWithResourceVersion()
    {
        await using var server = await SandboxServer.StartAsync(new SandboxOptions { BookmarkInterval = TimeSpan.FromMilliseconds(50), SeedNodes = false });
        using var client = SandboxFixture.CreateClient(server);
        var rv = (await client.CoreV1.ListNamespacedPodAsync("default")).Metadata.ResourceVersion;
        using var cts = Deadline();
        var events = await TakeAsync(client.CoreV1.WatchListNamespacedPodAsync("default", allowWatchBookmarks: true, resourceVersion: rv, cancellationToken: cts.Token), 1, cts);
        Assert.Equal(WatchEventType.Bookmark, events[0].Type);
        Assert.Equal(rv, events[0].Obj.Metadata.ResourceVersion);
    }

    [Fact]
    public async Task Watch_FromResourceVersionOlderThanHistory_Gets410GoneAsErrorEvent()
    {
        await using var server = await SandboxServer.StartAsync(new SandboxOptions { WatchHistorySize = 16, SeedNodes = false });
        using var client = SandboxFixture.CreateClient(server);
        var rv = (await client.CoreV1.ListNamespacedConfigMapAsync("default")).Metadata.ResourceVersion;
        for (var i = 0; i < 40; i++)
        {
            await client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = $"c{i}" } }, "default");
        }

        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        var text = await http.GetStringAsync($"/api/v1/namespaces/default/configmaps?watch=true&resourceVersion={rv}");
        var line = JsonNode.Parse(text.Trim())!;
        Assert.Equal("ERROR", (string?)line["type"]);
        Assert.Equal(410, (int)line["object"]!["code"]!);
        Assert.Equal("Expired", (string?)line["object"]!["reason"]);

        using var cts = Deadline();
        Exception? reported = null;
        var viaClient = await TakeAsync(client.CoreV1.WatchListNamespacedConfigMapAsync("default", resourceVersion: rv, onError: e => reported = e, cancellationToken: cts.Token), 1, cts);
        Assert.Empty(viaClient);
        var status = Assert.IsType<KubernetesException>(reported).Status;
        Assert.Equal(410, status.Code);

        // A resourceVersion still inside the window works.
        var recent = (await client.CoreV1.ListNamespacedConfigMapAsync("default")).Metadata.ResourceVersion;
        var pending = TakeAsync(client.CoreV1.WatchListNamespacedConfigMapAsync("default", resourceVersion: recent, cancellationToken: cts.Token), 1, cts);
        await client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "late" } }, "default");
        Assert.Equal("late", (await pending)[0].Obj.Metadata.Name);
    }

    [Fact]
    public async Task Watch_TimeoutSeconds_EndsTheStream()
    {
        var ns = await sandbox.NewNamespaceAsync();
        var rv = (await sandbox.Client.CoreV1.ListNamespacedPodAsync(ns)).Metadata.ResourceVersion;
        using var cts = Deadline();
        cts.CancelAfter(TimeSpan.FromSeconds(20));
        var body = await sandbox.Http.GetStringAsync($"/api/v1/namespaces/{ns}/pods?watch=1&resourceVersion={rv}&timeoutSeconds=1", cts.Token);
        Assert.Equal("", body);
    }

    [Fact]
    public async Task StoreSubscription_InProcessSubscriberSeesCommittedChanges()
    {
        var ns = await sandbox.NewNamespaceAsync();
        var store = sandbox.Server.Cluster.Store;
        using var sub = store.Subscribe("configmaps", ns, store.ResourceVersion, initial: false);
        await sandbox.Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "seen" } }, ns);
        var e = await sub.Events.ReadAsync(TestContext.Current.CancellationToken);
        Assert.Equal(("ADDED", "seen"), (e.Type, e.Object.Name));
    }

    [Fact]
    public async Task Watch_FromFutureResourceVersion_GetsTooLargeResourceVersionError()
    {
        var ns = await sandbox.NewNamespaceAsync();
        var future = sandbox.Server.Cluster.Store.ResourceVersion + 1_000_000;
        var text = await sandbox.Http.GetStringAsync($"/api/v1/namespaces/{ns}/pods?watch=1&resourceVersion={future}", TestContext.Current.CancellationToken);
        var line = JsonNode.Parse(text.Trim())!;
        Assert.Equal("ERROR", (string?)line["type"]);
        Assert.Equal(504, (int)line["object"]!["code"]!);
        Assert.Equal("ResourceVersionTooLarge", (string?)line["object"]!["details"]!["causes"]![0]!["reason"]);
    }

    [Fact]
    public async Task List_ContinueToken_AfterTheHistoryIsCompacted_Gets410()
    {
        await using var server = await SandboxServer.StartAsync(new SandboxOptions { WatchHistorySize = 16, SeedNodes = false });
        using var client = SandboxFixture.CreateClient(server);
        for (var i = 0; i < 3; i++)
        {
            await client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = $"a{i}" } }, "default");
        }

        var first = await client.CoreV1.ListNamespacedConfigMapAsync("default", limit: 1);
        await client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "b" } }, "default");
        server.ExpireWatchHistory();

        var e = await Assert.ThrowsAsync<k8s.Autorest.HttpOperationException>(() =>
            client.CoreV1.ListNamespacedConfigMapAsync("default", limit: 1, continueParameter: first.Metadata.ContinueProperty));
        Assert.Equal(System.Net.HttpStatusCode.Gone, e.Response.StatusCode);
    }

    [Fact]
    public async Task Faults_DropWatchesEndsStreams_AndExpiredHistoryGives410()
    {
        await using var server = await SandboxServer.StartAsync(new SandboxOptions { SeedNodes = false, Simulate = false });
        using var client = SandboxFixture.CreateClient(server);
        var rv = (await client.CoreV1.ListNamespacedPodAsync("default")).Metadata.ResourceVersion;
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        using var cts = Deadline();
        cts.CancelAfter(TimeSpan.FromSeconds(20)); // safety net only
        using var response = await http.GetAsync($"/api/v1/namespaces/default/pods?watch=1&resourceVersion={rv}", HttpCompletionOption.ResponseHeadersRead, cts.Token);
        var body = response.Content.ReadAsStringAsync(cts.Token);
        Assert.Equal(1, server.DropWatches()); // the watch is registered before its response headers are sent

        Assert.Equal("", await body);

        await client.CoreV1.CreateNamespacedPodAsync(Pods.New("later"), "default");
        server.ExpireWatchHistory();
        var text = await http.GetStringAsync($"/api/v1/namespaces/default/pods?watch=1&resourceVersion={rv}", cts.Token);
        Assert.Equal(410, (int)JsonNode.Parse(text)!["object"]!["code"]!);

        server.FailNextRequests(503, count: 1, resource: "pods");
        var e = await Assert.ThrowsAsync<k8s.Autorest.HttpOperationException>(() => client.CoreV1.ListNamespacedPodAsync("default"));
        Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, e.Response.StatusCode);
        Assert.Single((await client.CoreV1.ListNamespacedPodAsync("default")).Items);
    }

    [Fact]
    public async Task Watch_LargeInitialList_StreamsEveryObjectOnce()
    {
        var ns = await sandbox.NewNamespaceAsync();
        var cluster = sandbox.Server.Cluster;
        var cm = cluster.Type("", "v1", "configmaps");
        var payload = new string('x', 2048);
        for (var i = 0; i < 600; i++)
        {
            cluster.Service.Create(cm, ns, new JsonObject
            {
                ["apiVersion"] = "v1",
                ["kind"] = "ConfigMap",
                ["metadata"] = new JsonObject { ["name"] = $"big-{i:D3}" },
                ["data"] = new JsonObject { ["blob"] = payload },
            }, Api.RequestOptions.Controller);
        }

        using var cts = Deadline();
        var events = await TakeAsync(sandbox.Client.CoreV1.WatchListNamespacedConfigMapAsync(ns, cancellationToken: cts.Token), 600, cts);
        Assert.All(events, e => Assert.Equal(WatchEventType.Added, e.Type));
        Assert.Equal(Enumerable.Range(0, 600).Select(i => $"big-{i:D3}"), events.Select(e => e.Obj.Metadata.Name));
    }
}
