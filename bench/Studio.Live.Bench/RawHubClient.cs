using System.Buffers;
using System.Diagnostics;
using System.IO.Hashing;
using System.Net.Sockets;
using System.Net.WebSockets;
using Microsoft.AspNetCore.SignalR.Protocol;

namespace Studio.Live.Bench;

/// <summary>
/// A hub client straight on a WebSocket (no negotiate, no SignalR client): handshake, one <c>Subscribe</c>, pings; then it
/// only reads — it splits the stream into hub messages by their framing, stamps each <c>Update</c>'s arrival, hashes its
/// bytes (XxHash64) and looks at its first bytes for the snapshot flag. A reference client also parses every message with
/// the SignalR protocol (as a HubConnection would) and records which changes each hash carries.
/// </summary>
internal sealed class RawHubClient(RawFanOut pool, int index, bool reference) : IAsyncDisposable
{
    private readonly ClientWebSocket _socket = new();
    private readonly SemaphoreSlim _send = new(1, 1);
    private readonly Lock _gate = new();
    private readonly List<RawFrame> _updates = [];
    private readonly TaskCompletionSource _subscribed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task? _receiving;
    private int _afterStart;
    private bool _stallNow;

    public int Index => index;

    public bool IsReference => reference;

    /// <summary>Pings, completions and other non-Update messages received (diagnostics).</summary>
    public (int Pings, int Completions, int Closes, int Other) Others { get; private set; }

    /// <summary>Why the receive loop stopped early, if it did.</summary>
    public string? Failure { get; private set; }

    /// <summary>Every <c>Update</c> so far, in arrival order.</summary>
    public RawFrame[] Updates
    {
        get
        {
            lock (_gate)
            {
                return [.. _updates];
            }
        }
    }

    /// <summary>The last <c>Update</c> received (null before the first).</summary>
    public RawFrame? Last
    {
        get
        {
            lock (_gate)
            {
                return _updates.Count > 0 ? _updates[^1] : null;
            }
        }
    }

    public async Task ConnectAsync(Uri hub, CancellationToken cancellationToken)
    {
        _socket.Options.KeepAliveInterval = TimeSpan.Zero;
        if (pool.StallOf == index)
        {
            // A small socket receive buffer, so that not reading backs up the server's writes soon.
            var handler = new SocketsHttpHandler
            {
                ConnectCallback = async (context, token) =>
                {
                    var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 4096, NoDelay = true };
                    await socket.ConnectAsync(context.DnsEndPoint, token);
                    return new NetworkStream(socket, ownsSocket: true);
                },
            };
            await _socket.ConnectAsync(hub, new HttpMessageInvoker(handler), cancellationToken);
        }
        else
        {
            await _socket.ConnectAsync(hub, cancellationToken);
        }

        await SendAsync(pool.Handshake, cancellationToken);
        _receiving = Task.Run(() => ReceiveAsync(pool.Stopping), CancellationToken.None);
        await SendAsync(pool.Subscribe, cancellationToken);
        await _subscribed.Task.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
    }

    public async Task PingAsync(CancellationToken cancellationToken)
    {
        if (_socket.State == WebSocketState.Open)
        {
            await SendAsync(pool.Ping, cancellationToken);
        }
    }

    private async Task SendAsync(byte[] bytes, CancellationToken cancellationToken)
    {
        await _send.WaitAsync(cancellationToken);
        try
        {
            await _socket.SendAsync(bytes, pool.Json ? WebSocketMessageType.Text : WebSocketMessageType.Binary, true, cancellationToken);
        }
        finally
        {
            _send.Release();
        }
    }

    private async Task ReceiveAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[16 * 1024];
        var count = 0;
        var handshaken = false;
        try
        {
            while (true)
            {
                if (count == buffer.Length)
                {
                    Array.Resize(ref buffer, buffer.Length * 2);
                }

                var result = await _socket.ReceiveAsync(buffer.AsMemory(count), cancellationToken);
                var at = Stopwatch.GetTimestamp();
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    Failure ??= "closed by the server: " + _socket.CloseStatusDescription;
                    return;
                }

                count += result.Count;
                var offset = 0;
                if (!handshaken)
                {
                    // The handshake response is JSON ({} or an error) ended by 0x1E, whatever the protocol.
                    if (!HubFrames.TryNext(buffer.AsSpan(0, count), json: true, out _, out var length, out var consumed))
                    {
                        continue;
                    }

                    if (length != 2)
                    {
                        throw new InvalidOperationException("Handshake failed: " + System.Text.Encoding.UTF8.GetString(buffer, 0, length));
                    }

                    handshaken = true;
                    offset = consumed;
                }

                while (HubFrames.TryNext(buffer.AsSpan(offset, count - offset), pool.Json, out var bodyStart, out var bodyLength, out var consumed))
                {
                    OnMessage(buffer.AsSpan(offset, consumed), bodyStart, bodyLength, at);
                    offset += consumed;
                }

                if (offset > 0)
                {
                    Buffer.BlockCopy(buffer, offset, buffer, 0, count - offset);
                    count -= offset;
                }

                if (_stallNow)
                {
                    _stallNow = false;
                    await Task.Delay(pool.StallFor, cancellationToken);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            Failure ??= ex.GetType().Name + ": " + ex.Message;
            _subscribed.TrySetException(ex);
        }
    }

    private void OnMessage(ReadOnlySpan<byte> frame, int bodyStart, int bodyLength, long at)
    {
        var body = frame.Slice(bodyStart, bodyLength);
        var type = HubFrames.Type(body, pool.Json);
        var others = Others;
        switch (type)
        {
            case HubProtocolConstants.PingMessageType:
                Others = others with { Pings = others.Pings + 1 };
                return;
            case HubProtocolConstants.CompletionMessageType:
                Others = others with { Completions = others.Completions + 1 };
                if (reference)
                {
                    pool.CheckCompletion(Parse(frame));
                }

                return;
            case HubProtocolConstants.CloseMessageType:
                Others = others with { Closes = others.Closes + 1 };
                return;
            case HubProtocolConstants.InvocationMessageType:
                break;
            default:
                Others = others with { Other = others.Other + 1 };
                return;
        }

        var hash = XxHash64.HashToUInt64(body);
        var snapshot = HubFrames.IsSnapshot(body, pool.Json);
        if (reference)
        {
            pool.Learn(hash, snapshot, Parse(frame));
        }

        if (at >= pool.StartedAt && (pool.DropFrameOf == index || pool.StallOf == index) && ++_afterStart == 10)
        {
            // Self-checks: --drop-frame loses this client's 10th Update after the start on purpose; --stall-client stops
            // reading after it.
            if (pool.StallOf == index)
            {
                _stallNow = true;
            }
            else
            {
                return;
            }
        }

        lock (_gate)
        {
            _updates.Add(new RawFrame(hash, at, snapshot));
        }

        _subscribed.TrySetResult();
    }

    private HubMessage? Parse(ReadOnlySpan<byte> frame)
    {
        var input = new ReadOnlySequence<byte>(frame.ToArray());
        return pool.Protocol.TryParseMessage(ref input, RawFanOut.Binder, out var message) ? message : null;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_socket.State == WebSocketState.Open)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
            }
        }
        catch (Exception)
        {
            // Closing is best effort; the server times the connection out otherwise.
        }

        if (_receiving is not null)
        {
            await _receiving.WaitAsync(TimeSpan.FromSeconds(2)).ContinueWith(_ => { }, TaskScheduler.Default);
        }

        _socket.Dispose();
        _send.Dispose();
    }
}
