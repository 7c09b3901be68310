using System.Net;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Studio.Infrastructure.Kubernetes.Inventory;

namespace Studio.Infrastructure.Tests.Clusters;

/// <summary>
/// The informer's reconnect logic, driven step by step through its list and watch delegates: 410 Gone relists,
/// a closed stream resumes from the last resourceVersion, failures degrade and recover — and no change is lost.
/// </summary>
public sealed class SharedInformerTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static V1ConfigMap Item(string name, string rv, string value = "v") =>
        new() { Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "ns", ResourceVersion = rv }, Data = new Dictionary<string, string> { ["v"] = value } };

    private sealed class FakeApi
    {
        public Channel<Func<(IList<V1ConfigMap>, string?, string?)>> Lists { get; } = Channel.CreateUnbounded<Func<(IList<V1ConfigMap>, string?, string?)>>();

        public Channel<Channel<WatchStep>> Watches { get; } = Channel.CreateUnbounded<Channel<WatchStep>>();

        private readonly List<string> _watchedFrom = [];

        public string[] WatchedFrom
        {
            get
            {
                lock (_watchedFrom)
                {
                    return [.. _watchedFrom];
                }
            }
        }

        public async Task<(IList<V1ConfigMap> Items, string? Continue, string? ResourceVersion)> ListAsync(string? token, CancellationToken ct) =>
            (await Lists.Reader.ReadAsync(ct))();

        public async IAsyncEnumerable<(WatchEventType, V1ConfigMap)> WatchAsync(string rv, Action<Exception> onError, [EnumeratorCancellation] CancellationToken ct)
        {
            lock (_watchedFrom)
            {
                _watchedFrom.Add(rv);
            }

            var stream = await Watches.Reader.ReadAsync(ct);
            await foreach (var step in stream.Reader.ReadAllAsync(ct))
            {
                if (step.Error is not null)
                {
                    onError(step.Error);
                    continue;
                }

                if (step.Throw is not null)
                {
                    throw step.Throw;
                }

                yield return (step.Type, step.Item!);
            }
        }
    }

    private sealed record WatchStep(WatchEventType Type, V1ConfigMap? Item, Exception? Error = null, Exception? Throw = null);

    private static SharedInformer<V1ConfigMap, string> Informer(FakeApi api) =>
        new("configmaps", api.ListAsync, api.WatchAsync, c => c.Data["v"], NullLogger.Instance, TimeProvider.System);

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (var i = 0; i < 500 && !condition(); i++)
        {
            await Task.Delay(10, Ct);
        }

        Assert.True(condition(), "The informer did not reach the expected state.");
    }

    [Fact]
    public async Task Watch410_Relists_AndConvergesWithoutLosingChanges()
    {
        var api = new FakeApi();
        await using var informer = Informer(api);
        await api.Lists.Writer.WriteAsync(() => ([Item("a", "1", "a1"), Item("b", "2", "b1")], null, "2"), Ct);
        var first = Channel.CreateUnbounded<WatchStep>();
        await api.Watches.Writer.WriteAsync(first, Ct);
        informer.Start();
        await informer.FirstSync.WaitAsync(TimeSpan.FromSeconds(5), Ct);

        await first.Writer.WriteAsync(new WatchStep(WatchEventType.Added, Item("c", "3", "c1")), Ct);
        await WaitUntilAsync(() => informer.Count == 3);

        // The server expired our resourceVersion: 410 as an ERROR event, then the stream ends. Meanwhile b was deleted and a changed.
        await api.Lists.Writer.WriteAsync(() => ([Item("a", "7", "a2"), Item("c", "3", "c1")], null, "7"), Ct);
        var second = Channel.CreateUnbounded<WatchStep>();
        await api.Watches.Writer.WriteAsync(second, Ct);
        await first.Writer.WriteAsync(new WatchStep(WatchEventType.Added, null, Error: new KubernetesException(new V1Status { Code = 410, Reason = "Expired" })), Ct);
        first.Writer.Complete();

        await WaitUntilAsync(() => informer.Count == 2 && informer.TryGet("ns/a", out var a) && a == "a2");
        await second.Writer.WriteAsync(new WatchStep(WatchEventType.Modified, Item("c", "8", "c2")), Ct);
        await WaitUntilAsync(() => informer.TryGet("ns/c", out var c) && c == "c2");

        Assert.Equal(["2", "7"], api.WatchedFrom);
        Assert.Equal(["a2", "c2"], informer.Snapshot().Order());
        Assert.Equal(InformerState.Synced, informer.Health.State);
    }

    /// <summary>A paged LIST whose continue token expired (410 Expired, the server compacted it) starts over from the first page, as client-go's pager does.</summary>
    [Fact]
    public async Task ContinueTokenExpiredMidList_ListsAgainFromTheFirstPage_AndSyncs()
    {
        var api = new FakeApi();
        await using var informer = Informer(api);
        await api.Lists.Writer.WriteAsync(() => ([Item("a", "1", "stale")], "page-2", "5"), Ct);
        await api.Lists.Writer.WriteAsync(() => throw new HttpOperationException { Response = new HttpResponseMessageWrapper(new HttpResponseMessage(HttpStatusCode.Gone), "{\"reason\":\"Expired\"}") }, Ct);
        await api.Lists.Writer.WriteAsync(() => ([Item("a", "9", "a2")], "page-2", "9"), Ct);
        await api.Lists.Writer.WriteAsync(() => ([Item("b", "9", "b2")], null, "9"), Ct);
        var watch = Channel.CreateUnbounded<WatchStep>();
        await api.Watches.Writer.WriteAsync(watch, Ct);

        informer.Start();
        await informer.FirstSync.WaitAsync(TimeSpan.FromSeconds(5), Ct);

        Assert.Equal(["a2", "b2"], informer.Snapshot().Order());
        await WaitUntilAsync(() => api.WatchedFrom.Length == 1);
        Assert.Equal(["9"], api.WatchedFrom);
        Assert.Equal(InformerState.Synced, informer.Health.State);
    }

    [Fact]
    public async Task ClosedStream_ResumesFromLastResourceVersion_WithoutRelisting()
    {
        var api = new FakeApi();
        await using var informer = Informer(api);
        await api.Lists.Writer.WriteAsync(() => ([Item("a", "1")], null, "1"), Ct);
        var first = Channel.CreateUnbounded<WatchStep>();
        await api.Watches.Writer.WriteAsync(first, Ct);
        informer.Start();
        await informer.FirstSync.WaitAsync(TimeSpan.FromSeconds(5), Ct);

        await first.Writer.WriteAsync(new WatchStep(WatchEventType.Added, Item("b", "5")), Ct);
        await first.Writer.WriteAsync(new WatchStep(WatchEventType.Bookmark, new V1ConfigMap { Metadata = new V1ObjectMeta { ResourceVersion = "9" } }), Ct);
        var second = Channel.CreateUnbounded<WatchStep>();
        await api.Watches.Writer.WriteAsync(second, Ct);
        first.Writer.Complete();
        await second.Writer.WriteAsync(new WatchStep(WatchEventType.Deleted, Item("a", "10")), Ct);

        await WaitUntilAsync(() => !informer.TryGet("ns/a", out _) && informer.TryGet("ns/b", out _));
        Assert.Equal(["1", "9"], api.WatchedFrom);
        Assert.True(informer.TryGet("ns/b", out _));
    }

    [Fact]
    public async Task ServerErrors_MarkDegradedWithReason_KeepLastState_ThenRecover()
    {
        var api = new FakeApi();
        await using var informer = Informer(api);
        await api.Lists.Writer.WriteAsync(() => ([Item("a", "1", "kept")], null, "1"), Ct);
        var first = Channel.CreateUnbounded<WatchStep>();
        await api.Watches.Writer.WriteAsync(first, Ct);
        informer.Start();
        await informer.FirstSync.WaitAsync(TimeSpan.FromSeconds(5), Ct);

        await first.Writer.WriteAsync(new WatchStep(WatchEventType.Added, null, Throw: new HttpRequestException("boom", null, HttpStatusCode.InternalServerError)), Ct);
        await WaitUntilAsync(() => informer.Health.State == InformerState.Degraded);
        Assert.Contains("500", informer.Health.Problem, StringComparison.Ordinal);
        Assert.Equal(["kept"], informer.Snapshot());

        var second = Channel.CreateUnbounded<WatchStep>();
        await api.Watches.Writer.WriteAsync(second, Ct);
        await second.Writer.WriteAsync(new WatchStep(WatchEventType.Modified, Item("a", "2", "fresh")), Ct);

        await WaitUntilAsync(() => informer.Health.State == InformerState.Synced && informer.TryGet("ns/a", out var v) && v == "fresh");
    }

    [Fact]
    public async Task ErrorInTheStream_StopsThatWatch_AndRelists_SoTheUndeliveredChangeIsNotLost()
    {
        var api = new FakeApi();
        await using var informer = Informer(api);
        await api.Lists.Writer.WriteAsync(() => ([Item("a", "1", "a1"), Item("b", "2", "b1")], null, "2"), Ct);
        var first = Channel.CreateUnbounded<WatchStep>();
        await api.Watches.Writer.WriteAsync(first, Ct);
        informer.Start();
        await informer.FirstSync.WaitAsync(TimeSpan.FromSeconds(5), Ct);

        // The change to a (rv 3) cannot be read; the stream goes on with b (rv 4). Resuming from 4 would skip a's change.
        await api.Lists.Writer.WriteAsync(() => ([Item("a", "3", "a2"), Item("b", "4", "b2")], null, "4"), Ct);
        await api.Watches.Writer.WriteAsync(Channel.CreateUnbounded<WatchStep>(), Ct);
        await first.Writer.WriteAsync(new WatchStep(WatchEventType.Modified, null, Error: new InvalidOperationException("line 17: not JSON")), Ct);
        await first.Writer.WriteAsync(new WatchStep(WatchEventType.Modified, Item("b", "4", "b2")), Ct);

        await WaitUntilAsync(() => informer.TryGet("ns/a", out var a) && a == "a2");
        Assert.Equal(["a2", "b2"], informer.Snapshot().Order());
        Assert.Equal(["2", "4"], api.WatchedFrom);
    }

    [Fact]
    public async Task HandlerThatThrows_DoesNotKeepOtherHandlersOrTheInformerFromTheChange()
    {
        var api = new FakeApi();
        await using var informer = Informer(api);
        var seen = new List<string?>();
        informer.ItemChanged += (_, _) => throw new InvalidOperationException("a broken subscriber");
        informer.ItemChanged += (_, current) =>
        {
            lock (seen)
            {
                seen.Add(current);
            }
        };
        await api.Lists.Writer.WriteAsync(() => ([Item("a", "1", "a1")], null, "1"), Ct);
        var first = Channel.CreateUnbounded<WatchStep>();
        await api.Watches.Writer.WriteAsync(first, Ct);
        informer.Start();
        await informer.FirstSync.WaitAsync(TimeSpan.FromSeconds(5), Ct);

        await first.Writer.WriteAsync(new WatchStep(WatchEventType.Modified, Item("a", "2", "a2")), Ct);
        await first.Writer.WriteAsync(new WatchStep(WatchEventType.Added, Item("b", "3", "b1")), Ct);

        await WaitUntilAsync(() => informer.Count == 2);
        lock (seen)
        {
            Assert.Equal(["a2", "b1"], seen);
        }

        Assert.Equal(["a2", "b1"], informer.Snapshot().Order());
        Assert.Equal(InformerState.Synced, informer.Health.State);
        Assert.Equal(["1"], api.WatchedFrom);
    }
}
