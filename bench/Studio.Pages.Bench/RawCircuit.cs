using System.Collections.Concurrent;
using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Studio.Pages.Bench;

/// <summary>
/// A Blazor Server circuit opened by a cheap .NET client instead of a browser: it does what blazor.web.js does for a
/// prerendered interactive-server page, and no more. GET the page (own cookie jar), read the server component markers
/// (<c>&lt;!--Blazor:{...}--&gt;</c>) and the persisted state comment, negotiate and open <c>/_blazor</c> over a WebSocket
/// with the <c>blazorpack</c> protocol, <c>StartCircuit</c>, then <c>UpdateRootComponents</c> with an "add" operation per
/// marker. On every <c>JS.RenderBatch</c> it stamps the arrival, scans the batch's reference frames for a
/// <c>data-value</c> attribute and acknowledges at once (<c>OnRenderCompleted</c>); JS interop calls are answered with a
/// plausible result (<c>false</c> for <c>studio.isNarrow</c>, null otherwise). It skips everything a browser does with
/// the batch: no DOM, no layout, no paint, no scripts.
/// </summary>
internal sealed partial class RawCircuit(int index) : IAsyncDisposable
{
    private static readonly ConcurrentDictionary<string, bool> Reported = new(StringComparer.Ordinal);
    private readonly ClientWebSocket _socket = new();
    private readonly CookieContainer _cookies = new();
    private readonly SemaphoreSlim _send = new(1, 1);
    private readonly Lock _gate = new();
    private readonly List<(double T, long V)> _values = [];
    private readonly TaskCompletionSource<string> _circuitId = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _firstValue = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stopping = new();
    private Task? _receiving;
    private Uri? _base;
    private string? _secret;
    private volatile bool _stalled;

    public int Index => index;

    /// <summary>Render batches received, their bytes, and how many were acknowledged.</summary>
    public (int Batches, long Bytes, int Acknowledged) Counts { get; private set; }

    /// <summary>Why the circuit failed (a JS.Error, a close, a receive error), if it did.</summary>
    public string? Failure { get; private set; }

    /// <summary>When set, the client keeps reading render batches but stops acknowledging them (a self-check).</summary>
    public bool Stalled
    {
        get => _stalled;
        set => _stalled = value;
    }

    /// <summary>Every change of the <c>data-value</c> seen, with the arrival time of its batch (ms since the epoch).</summary>
    public (double T, long V)[] Values
    {
        get
        {
            lock (_gate)
            {
                return [.. _values];
            }
        }
    }

    public long? Last
    {
        get
        {
            lock (_gate)
            {
                return _values.Count > 0 ? _values[^1].V : null;
            }
        }
    }

    public void ClearValues()
    {
        lock (_gate)
        {
            if (_values.Count > 1)
            {
                _values.RemoveRange(0, _values.Count - 1);
            }
        }
    }

    public async Task StartAsync(Uri page, CancellationToken cancellationToken)
    {
        var baseUri = new Uri(page, "/");
        using var handler = new SocketsHttpHandler { CookieContainer = _cookies, UseCookies = true };
        using var http = new HttpClient(handler) { BaseAddress = baseUri, Timeout = TimeSpan.FromSeconds(120) };

        // 1. The prerendered page, as the browser gets it.
        var html = await http.GetStringAsync(page, cancellationToken);
        var markers = new JsonArray();
        var uniqueId = 0;
        foreach (Match m in MarkerPattern().Matches(html))
        {
            var marker = JsonNode.Parse(m.Groups[1].Value)!.AsObject();
            if ((string?)marker["type"] == "server")
            {
                marker["uniqueId"] = uniqueId++;
                markers.Add(marker);
            }
        }

        if (markers.Count == 0)
        {
            throw new InvalidOperationException($"No server component markers in {page} ({html.Length} characters).");
        }

        var state = StatePattern().Match(html) is { Success: true } s ? s.Groups[1].Value : string.Empty;

        // 2. Negotiate and open the WebSocket with the negotiated connection token.
        using var negotiate = await http.PostAsync("_blazor/negotiate?negotiateVersion=1", null, cancellationToken);
        negotiate.EnsureSuccessStatusCode();
        var token = JsonNode.Parse(await negotiate.Content.ReadAsStringAsync(cancellationToken))!["connectionToken"]!.GetValue<string>();
        _socket.Options.Cookies = _cookies;
        _socket.Options.KeepAliveInterval = TimeSpan.Zero;
        var ws = new UriBuilder(baseUri) { Scheme = baseUri.Scheme == "https" ? "wss" : "ws", Path = "/_blazor", Query = "id=" + Uri.EscapeDataString(token) }.Uri;
        await _socket.ConnectAsync(ws, cancellationToken);
        await SendAsync(BlazorPack.Handshake, cancellationToken);
        _receiving = Task.Run(() => ReceiveAsync(_stopping.Token), CancellationToken.None);

        // 3. StartCircuit with no components (the web.js flow), then the prerendered components as "add" operations.
        await SendAsync(BlazorPack.Invoke("StartCircuit", "0", baseUri.ToString(), page.ToString(), "[]", state), cancellationToken);
        var circuitId = await _circuitId.Task.WaitAsync(TimeSpan.FromSeconds(60), cancellationToken);
        if (string.IsNullOrEmpty(circuitId))
        {
            throw new InvalidOperationException("StartCircuit returned no circuit id.");
        }

        (_base, _secret) = (baseUri, circuitId);

        var operations = new JsonArray();
        for (var i = 0; i < markers.Count; i++)
        {
            operations.Add(new JsonObject { ["type"] = "add", ["ssrComponentId"] = i + 1, ["marker"] = markers[i]!.DeepClone() });
        }

        var batch = new JsonObject { ["batchId"] = 1, ["operations"] = operations };
        await SendAsync(BlazorPack.Invoke("UpdateRootComponents", null, batch.ToJsonString(), state), cancellationToken);
        await _firstValue.Task.WaitAsync(TimeSpan.FromSeconds(120), cancellationToken);
    }

    public async Task PingAsync(CancellationToken cancellationToken)
    {
        if (_socket.State == WebSocketState.Open)
        {
            await SendAsync(BlazorPack.PingMessage, cancellationToken);
        }
    }

    private async Task SendAsync(byte[] bytes, CancellationToken cancellationToken)
    {
        await _send.WaitAsync(cancellationToken);
        try
        {
            await _socket.SendAsync(bytes, WebSocketMessageType.Binary, true, cancellationToken);
        }
        finally
        {
            _send.Release();
        }
    }

    private async Task ReceiveAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[64 * 1024];
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
                var at = EpochMs();
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    Failure ??= "closed by the server: " + _socket.CloseStatusDescription;
                    return;
                }

                count += result.Count;
                var offset = 0;
                if (!handshaken)
                {
                    var end = Array.IndexOf(buffer, (byte)0x1E, 0, count);
                    if (end < 0)
                    {
                        continue;
                    }

                    var response = Encoding.UTF8.GetString(buffer, 0, end);
                    if (response != "{}")
                    {
                        throw new InvalidOperationException("Handshake failed: " + response);
                    }

                    handshaken = true;
                    offset = end + 1;
                }

                while (BlazorPack.TryNext(buffer.AsSpan(offset, count - offset), out var bodyStart, out var bodyLength))
                {
                    await OnMessageAsync(buffer.AsMemory(offset + bodyStart, bodyLength), at, cancellationToken);
                    offset += bodyStart + bodyLength;
                }

                if (offset > 0)
                {
                    Buffer.BlockCopy(buffer, offset, buffer, 0, count - offset);
                    count -= offset;
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            Failure ??= ex.GetType().Name + ": " + ex.Message;
            _circuitId.TrySetException(ex);
            _firstValue.TrySetException(ex);
        }
    }

    private async Task OnMessageAsync(ReadOnlyMemory<byte> body, double at, CancellationToken cancellationToken)
    {
        var message = BlazorPack.Read(body);
        switch (message.Type)
        {
            case BlazorPack.Completion when message.InvocationId == "0":
                if (message.Error is not null)
                {
                    _circuitId.TrySetException(new InvalidOperationException("StartCircuit failed: " + message.Error));
                }
                else
                {
                    _circuitId.TrySetResult(message.Args[0] as string ?? string.Empty);
                }

                return;
            case BlazorPack.Close:
                Failure ??= "close message: " + message.Error;
                _circuitId.TrySetException(new InvalidOperationException(Failure));
                _firstValue.TrySetException(new InvalidOperationException(Failure));
                return;
            case BlazorPack.Invocation:
                break;
            default:
                return;
        }

        switch (message.Target)
        {
            case "JS.RenderBatch":
            {
                var batchId = (long)message.Args[0]!;
                var bytes = (BinaryArg)message.Args[1]!;
                var value = RenderBatchScan.FindDataValue(body.Span.Slice(bytes.Offset, bytes.Length));
                var counts = Counts;
                if (value is { } v)
                {
                    lock (_gate)
                    {
                        if (_values.Count == 0 || _values[^1].V != v)
                        {
                            _values.Add((at, v));
                        }
                    }

                    _firstValue.TrySetResult();
                }

                if (_stalled)
                {
                    Counts = counts with { Batches = counts.Batches + 1, Bytes = counts.Bytes + bytes.Length };
                    return;
                }

                Counts = (counts.Batches + 1, counts.Bytes + bytes.Length, counts.Acknowledged + 1);
                await SendAsync(BlazorPack.Invoke("OnRenderCompleted", null, batchId, null), cancellationToken);
                return;
            }

            case "JS.BeginInvokeJS":
            {
                // (asyncHandle, identifier, argsJson, resultType, targetInstanceId[, callType])
                var handle = message.Args[0] is long h ? h : 0;
                var identifier = message.Args[1] as string ?? "?";
                var result = identifier switch
                {
                    "studio.isNarrow" => "false", // a wide screen, as the Chromium pages (1440×900)
                    "mudpopoverHelper.countProviders" => "1", // one MudPopoverProvider in the layout
                    _ => "null",
                };
                if (Reported.TryAdd("js:" + identifier, true))
                {
                    Console.WriteLine($"raw circuit: JS call '{identifier}' answered with {result} (logged once)");
                }

                if (handle != 0)
                {
                    await SendAsync(BlazorPack.Invoke("EndInvokeJSFromDotNet", null, handle, true, $"[{handle},true,{result}]"), cancellationToken);
                }

                return;
            }

            case "JS.Error":
                Failure ??= "JS.Error: " + (message.Args.Length > 0 ? message.Args[0] : null);
                _firstValue.TrySetException(new InvalidOperationException(Failure));
                return;
            case "JS.EndUpdateRootComponents":
            case "JS.EndLocationChanging":
            case "JS.SavePersistedState":
                return;
            default:
                if (Reported.TryAdd("msg:" + message.Target, true))
                {
                    Console.WriteLine($"raw circuit: '{message.Target}' ignored (logged once): {JsonSerializer.Serialize(message.Args)}");
                }

                return;
        }
    }

    private static double EpochMs() => (DateTime.UtcNow - DateTime.UnixEpoch).TotalMilliseconds;

    [GeneratedRegex(@"<!--Blazor:(\{.*?\})-->", RegexOptions.Singleline)]
    private static partial Regex MarkerPattern();

    [GeneratedRegex(@"<!--Blazor-Server-Component-State:([A-Za-z0-9+/=]+)-->")]
    private static partial Regex StatePattern();

    public async ValueTask DisposeAsync()
    {
        try
        {
            // What blazor.web.js does when the page goes away (navigator.sendBeacon): the server disposes the circuit now
            // instead of keeping it as a disconnected circuit (still subscribed, still rendering) for minutes.
            if (_base is not null && _secret is not null)
            {
                using var handler = new SocketsHttpHandler { CookieContainer = _cookies, UseCookies = true };
                using var http = new HttpClient(handler) { BaseAddress = _base, Timeout = TimeSpan.FromSeconds(10) };
                using var form = new MultipartFormDataContent { { new StringContent(_secret), "circuitId" } };
                using var response = await http.PostAsync("_blazor/disconnect", form);
            }
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            Console.WriteLine($"raw circuit {index}: disconnect failed: {e.Message}");
        }

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

        await _stopping.CancelAsync();
        if (_receiving is not null)
        {
            await _receiving.WaitAsync(TimeSpan.FromSeconds(2)).ContinueWith(_ => { }, TaskScheduler.Default);
        }

        _socket.Dispose();
        _send.Dispose();
        _stopping.Dispose();
    }
}
