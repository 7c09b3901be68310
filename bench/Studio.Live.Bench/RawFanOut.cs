using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;
using Studio.Web.Hubs;

namespace Studio.Live.Bench;

/// <summary>
/// <c>--raw-clients</c>: N hub clients that cost the driver little but are still checked one by one. The pump serializes a
/// batch once per protocol and writes the same bytes to every connection, so a few reference clients parse every
/// message (which changes it carries, keyed by the hash of its bytes) and the rest only split the stream into messages,
/// stamp and hash them. Each client's delivery time of a change is its arrival of the message that carried it minus
/// the change's PATCH; a client is complete when it got every message the references got after the start, in order
/// (or a catch-up snapshot covering a gap after it fell behind — counted apart).
/// </summary>
internal sealed class RawFanOut : IAsyncDisposable
{
    public static readonly IInvocationBinder Binder = new UpdateBinder();

    private readonly ConcurrentDictionary<ulong, ReferenceFrame> _frames = new();
    private readonly ConcurrentDictionary<long, byte> _seqs = new();
    private readonly List<RawHubClient> _clients = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Uri _hub;
    private readonly int _references;
    private long _startedAt = long.MaxValue;
    private int _sniffMismatches;
    private int _unparsed;
    private string? _subscribeError;
    private Task? _pinger;

    public RawFanOut(string baseUrl, Options options)
    {
        var (protocol, clients) = (options.Protocol, options.Clients);
        Json = protocol switch
        {
            "json" => true,
            "messagepack" => false,
            _ => throw new ArgumentException($"--protocol must be json or messagepack, not '{protocol}'."),
        };
        var json = new JsonHubProtocolOptions();
        json.PayloadSerializerOptions.Converters.Add(new JsonStringEnumConverter());
        Protocol = Json ? new JsonHubProtocol(Microsoft.Extensions.Options.Options.Create(json)) : new MessagePackHubProtocol();
        Handshake = Encoding.UTF8.GetBytes($$"""{"protocol":"{{protocol}}","version":1}""" + "\u001e");
        Subscribe = Protocol.GetMessageBytes(new InvocationMessage("1", "Subscribe", ["cluster:sandbox"])).ToArray();
        Ping = Protocol.GetMessageBytes(PingMessage.Instance).ToArray();
        _hub = new Uri(baseUrl.Replace("http://", "ws://", StringComparison.Ordinal).Replace("https://", "wss://", StringComparison.Ordinal) + "/hubs/live");
        _references = Math.Clamp(options.References, 1, clients);
        DropFrameOf = options.DropFrame ? clients - 1 : -1;
        StallOf = options.StallSeconds > 0 ? Math.Max(0, clients - 2) : -1;
        StallFor = TimeSpan.FromSeconds(options.StallSeconds);
    }

    public bool Json { get; }

    public IHubProtocol Protocol { get; }

    public byte[] Handshake { get; }

    public byte[] Subscribe { get; }

    public byte[] Ping { get; }

    public CancellationToken Stopping => _stop.Token;

    /// <summary>When the changes began (Stopwatch ticks); long.MaxValue before.</summary>
    public long StartedAt => Volatile.Read(ref _startedAt);

    /// <summary>The client that drops one frame on purpose (<c>--drop-frame</c>), or -1.</summary>
    public int DropFrameOf { get; }

    /// <summary>The client that stops reading for <see cref="StallFor"/> after its 10th frame (<c>--stall-client</c>), or -1.</summary>
    public int StallOf { get; }

    public TimeSpan StallFor { get; }

    /// <summary>Connects and subscribes every client (a few at a time); the first <c>references</c> parse what they receive.</summary>
    public async Task ConnectAsync(int clients)
    {
        _pinger = PingAsync();
        var next = -1;
        using var cancel = new CancellationTokenSource();
        var workers = Enumerable.Range(0, 16).Select(_ => Task.Run(async () =>
        {
            int index;
            while ((index = Interlocked.Increment(ref next)) < clients)
            {
                var client = new RawHubClient(this, index, index < _references);
                lock (_clients)
                {
                    _clients.Add(client);
                }

                try
                {
                    await client.ConnectAsync(_hub, cancel.Token);
                }
                catch (Exception ex)
                {
                    await cancel.CancelAsync();
                    throw new InvalidOperationException($"Raw client {index} did not subscribe: {client.Failure ?? ex.Message} {_subscribeError}", ex);
                }
            }
        }));
        await Task.WhenAll(workers);
        _clients.Sort((a, b) => a.Index.CompareTo(b.Index));
    }

    public void MarkStart() => Volatile.Write(ref _startedAt, Stopwatch.GetTimestamp());

    /// <summary>Called by a reference client for every <c>Update</c> it parsed.</summary>
    public void Learn(ulong hash, bool? sniffed, HubMessage? message)
    {
        if (message is not InvocationMessage { Target: "Update", Arguments: [LiveUpdate update] })
        {
            Interlocked.Increment(ref _unparsed);
            return;
        }

        if (sniffed != update.IsSnapshot)
        {
            Interlocked.Increment(ref _sniffMismatches);
        }

        var seqs = update.Changes.Select(c => Program.Seq(c.Value?.Pod?.JobName)).OfType<long>().ToArray();
        if (_frames.TryAdd(hash, new ReferenceFrame(update.IsSnapshot, seqs, update.Changes.Count)))
        {
            foreach (var seq in seqs)
            {
                _seqs.TryAdd(seq, 0);
            }
        }
    }

    /// <summary>Called by a reference client for every completion: a failed Subscribe is reported.</summary>
    public void CheckCompletion(HubMessage? message)
    {
        if (message is CompletionMessage { Error: { } error })
        {
            _subscribeError = "Subscribe failed: " + error;
        }
    }

    /// <summary>
    /// Every client has what the first reference client has, and that includes every pod's final change (or the client's
    /// last message is a catch-up snapshot the references never saw).
    /// </summary>
    public bool Settled(IReadOnlyCollection<long> finals)
    {
        if (!finals.All(_seqs.ContainsKey) || _clients[0].Last is not { } last)
        {
            return false;
        }

        return _clients.All(c => c.Last is { } mine && (mine.Hash == last.Hash || (mine.Snapshot == true && !_frames.ContainsKey(mine.Hash))));
    }

    /// <summary>Prints completeness and delivery over every client × change pair.</summary>
    public void Report(IReadOnlyDictionary<long, long> sent, IReadOnlyDictionary<long, long> raw, IReadOnlyCollection<long> finals)
    {
        static double Ms(long from, long to) => (to - from) * 1000.0 / Stopwatch.Frequency;
        var start = StartedAt;
        var reference = _clients[0].Updates.Where(f => f.At >= start).ToList();
        var order = new Dictionary<ulong, int>();
        foreach (var frame in reference)
        {
            order.TryAdd(frame.Hash, order.Count);
        }

        var referenceHashes = reference.Select(f => f.Hash).ToList();
        var disagree = _clients.Take(_references).Skip(1).Count(c => !c.Updates.Where(f => f.At >= start).Select(f => f.Hash).SequenceEqual(referenceHashes));
        var carried = reference.SelectMany(f => _frames.TryGetValue(f.Hash, out var parsed) ? parsed.Seqs : []).ToHashSet();
        var referenceSnapshots = reference.Count(f => _frames.TryGetValue(f.Hash, out var parsed) && parsed.IsSnapshot);

        var delivery = new List<double>(_clients.Count * carried.Count);
        var added = new List<double>(_clients.Count * carried.Count);
        var (complete, recovered, incomplete, missingFrames, coveredFrames, unknown, outOfOrder, fallbacks, failed) = (0, 0, 0, 0, 0, 0, 0, 0, 0);
        var worst = new List<string>();
        var (firstTenth, lastTenth) = (new List<double>(), new List<double>());
        foreach (var client in _clients)
        {
            var byOrder = client.Index < _clients.Count / 10 ? firstTenth : client.Index >= _clients.Count - (_clients.Count / 10) ? lastTenth : null;
            var (expected, missing, covered, strangers, disorder, snapshots, pendingSnapshot) = (0, 0, 0, 0, 0, 0, false);
            foreach (var frame in client.Updates.Where(f => f.At >= start))
            {
                if (order.TryGetValue(frame.Hash, out var i))
                {
                    if (i < expected)
                    {
                        disorder++;
                        continue;
                    }

                    if (i > expected)
                    {
                        // A gap: covered if a catch-up snapshot came since the last matched message.
                        if (pendingSnapshot)
                        {
                            covered += i - expected;
                        }
                        else
                        {
                            missing += i - expected;
                        }
                    }

                    expected = i + 1;
                    pendingSnapshot = false;
                    foreach (var seq in _frames.TryGetValue(frame.Hash, out var parsed) ? parsed.Seqs : [])
                    {
                        if (sent.TryGetValue(seq, out var t0))
                        {
                            delivery.Add(Ms(t0, frame.At));
                            byOrder?.Add(Ms(t0, frame.At));
                            if (raw.TryGetValue(seq, out var r))
                            {
                                added.Add(Ms(r, frame.At));
                            }
                        }
                    }
                }
                else if (frame.Snapshot == true && !_frames.ContainsKey(frame.Hash))
                {
                    snapshots++;
                    pendingSnapshot = true;
                }
                else if (!_frames.ContainsKey(frame.Hash))
                {
                    strangers++;
                }

                // Otherwise a message the references got just before the start and this client just after: not counted.
            }

            if (expected < order.Count)
            {
                if (pendingSnapshot)
                {
                    covered += order.Count - expected;
                }
                else
                {
                    missing += order.Count - expected;
                }
            }

            missingFrames += missing;
            coveredFrames += covered;
            unknown += strangers;
            outOfOrder += disorder;
            fallbacks += snapshots;
            failed += client.Failure is null ? 0 : 1;
            if (missing == 0 && strangers == 0 && disorder == 0)
            {
                if (snapshots == 0)
                {
                    complete++;
                }
                else
                {
                    recovered++;
                }
            }
            else
            {
                incomplete++;
                if (worst.Count < 5)
                {
                    worst.Add($"client {client.Index}{(client.IsReference ? " (reference)" : "")}: {missing} missing, {strangers} unrecognized, {disorder} out of order{(client.Failure is null ? "" : ", " + client.Failure)}");
                }
            }
        }

        var pings = _clients.Sum(c => c.Others.Pings);
        Console.WriteLine($"raw clients    : {_clients.Count:N0} clients over WebSockets ({(Json ? "json" : "messagepack")}): {_references} reference client(s) parse every message, {_clients.Count - _references:N0} only split, stamp and hash (XxHash64) them — no deserialization; {pings:N0} server pings read");
        Console.WriteLine($"reference      : {reference.Count:N0} Update frames after the start ({referenceSnapshots} of them snapshots) carrying {carried.Count:N0} of {sent.Count:N0} changes (the rest coalesced); every pod's final change: {(finals.All(carried.Contains) ? "yes" : $"NO, {finals.Count(f => !carried.Contains(f))} missing")}; reference clients that disagree with the first: {disagree}; {_frames.Count:N0} distinct frames parsed, snapshot-flag sniff wrong {_sniffMismatches}, unparsable {_unparsed}");
        Console.WriteLine($"completeness   : {complete:N0} of {_clients.Count:N0} clients received every frame in order; {recovered} fell behind and recovered with a catch-up snapshot ({fallbacks} such snapshots, covering {coveredFrames} frames); {incomplete} incomplete ({missingFrames} frames missing, {unknown} unrecognized, {outOfOrder} out of order, {failed} connections failed){(DropFrameOf >= 0 ? $" [--drop-frame: client {DropFrameOf} dropped one frame on purpose]" : "")}{(StallOf >= 0 ? $" [--stall-client: client {StallOf} stopped reading for {StallFor.TotalSeconds:0} s]" : "")}");
        foreach (var line in worst)
        {
            Console.WriteLine("  incomplete   : " + line);
        }

        Console.WriteLine($"delivery       : {delivery.Count:N0} client x change pairs ({delivery.Count / (double)_clients.Count:N0} per client), p50 {Program.P(delivery, 50):0.0} ms, p99 {Program.P(delivery, 99):0.0} ms, max {(delivery.Count > 0 ? delivery.Max() : double.NaN):0.0} ms (PATCH sent -> frame arrived at the client; target p99 <= 500 ms)");
        if (firstTenth.Count > 0 && lastTenth.Count > 0)
        {
            Console.WriteLine($"by join order  : first 10% of the clients p50 {Program.P(firstTenth, 50):0.0} / p99 {Program.P(firstTenth, 99):0.0} ms, last 10% p50 {Program.P(lastTenth, 50):0.0} / p99 {Program.P(lastTenth, 99):0.0} ms (the pump hands a batch to its members in join order)");
        }

        Console.WriteLine($"added by studio: p50 {Program.P(added, 50):0.0} ms, p99 {Program.P(added, 99):0.0} ms (frame arrival minus the driver's raw-watch arrival of the same change)");
    }

    private async Task PingAsync()
    {
        // The server drops a client it has not heard from for 30 s.
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                await Task.Delay(TimeSpan.FromSeconds(10), _stop.Token);
                RawHubClient[] clients;
                lock (_clients)
                {
                    clients = [.. _clients];
                }

                foreach (var client in clients)
                {
                    try
                    {
                        await client.PingAsync(_stop.Token);
                    }
                    catch (Exception) when (!_stop.IsCancellationRequested)
                    {
                        // Its receive loop reports the failure.
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_pinger is not null)
        {
            await _pinger;
        }

        await Task.WhenAll(_clients.Select(c => c.DisposeAsync().AsTask()));
        _stop.Dispose();
    }
}
