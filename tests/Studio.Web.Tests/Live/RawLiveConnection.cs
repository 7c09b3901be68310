using System.Buffers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.Http.Connections.Client;
using Microsoft.AspNetCore.TestHost;

namespace Studio.Web.Tests.Live;

/// <summary>
/// A hub connection below the SignalR client (JSON protocol over long polling, small buffers) that reads only when asked:
/// while the test does not read, the transport stops polling and the server's writes back up — a stalled client. (The
/// SignalR client keeps reading even when a handler blocks, so it cannot play this part.)
/// </summary>
internal sealed class RawLiveConnection(TestServer server, string user, string roles) : IAsyncDisposable
{
    private const char Separator = '\u001e';
    private readonly HttpConnection _connection = new(
        new HttpConnectionOptions
        {
            Url = new Uri(server.BaseAddress, "/hubs/live"),
            Transports = HttpTransportType.LongPolling,
            HttpMessageHandlerFactory = _ => server.CreateHandler(),
            Headers = { ["X-Test-User"] = user, ["X-Test-Roles"] = roles },
            TransportMaxBufferSize = 4096,
            ApplicationMaxBufferSize = 4096,
        },
        loggerFactory: null);

    private readonly StringBuilder _text = new();

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await _connection.StartAsync(TransferFormat.Text, cancellationToken);
        await SendAsync("""{"protocol":"json","version":1}""", cancellationToken);
        var handshake = await ReadAsync(cancellationToken);
        if (handshake.GetRawText() != "{}")
        {
            throw new InvalidOperationException("Handshake failed: " + handshake.GetRawText());
        }
    }

    public Task SubscribeAsync(string scope, CancellationToken cancellationToken) =>
        SendAsync($$"""{"type":1,"invocationId":"1","target":"Subscribe","arguments":[{{JsonSerializer.Serialize(scope)}}]}""", cancellationToken);

    /// <summary>The next hub message (invocation, completion, ping) as JSON.</summary>
    public async Task<JsonElement> ReadAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var text = _text.ToString();
            var end = text.IndexOf(Separator, StringComparison.Ordinal);
            if (end >= 0)
            {
                _text.Remove(0, end + 1);
                return JsonDocument.Parse(text[..end]).RootElement;
            }

            var result = await _connection.Transport.Input.ReadAsync(cancellationToken);
            _text.Append(Encoding.UTF8.GetString(result.Buffer.ToArray()));
            _connection.Transport.Input.AdvanceTo(result.Buffer.End);
            if (result.IsCompleted && result.Buffer.IsEmpty)
            {
                throw new InvalidOperationException("The connection closed.");
            }
        }
    }

    /// <summary>The next <c>Update</c> call's argument.</summary>
    public async Task<JsonElement> NextUpdateAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var message = await ReadAsync(cancellationToken);
            if (message.GetProperty("type").GetInt32() == 1 && message.GetProperty("target").GetString() == "Update")
            {
                return message.GetProperty("arguments")[0];
            }
        }
    }

    private async Task SendAsync(string json, CancellationToken cancellationToken)
    {
        var bytes = Encoding.UTF8.GetBytes(json + Separator);
        await _connection.Transport.Output.WriteAsync(bytes, cancellationToken);
    }

    public ValueTask DisposeAsync() => _connection.DisposeAsync();
}
