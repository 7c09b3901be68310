using System.Threading.Channels;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Studio.Web.Hubs;

namespace Studio.Web.Tests.Live;

/// <summary>A .NET SignalR client of <c>/hubs/live</c> on a TestServer, collecting its <c>Update</c> calls.</summary>
internal sealed class LiveClient : IAsyncDisposable
{
    private readonly Channel<LiveUpdate> _updates = Channel.CreateUnbounded<LiveUpdate>();

    public LiveClient(TestServer server, string user, string? roles, bool messagePack = false)
    {
        var builder = new HubConnectionBuilder().WithUrl(new Uri(server.BaseAddress, "/hubs/live"), o =>
        {
            o.Transports = HttpTransportType.LongPolling;
            o.HttpMessageHandlerFactory = _ => server.CreateHandler();
            o.Headers["X-Test-User"] = user;
            o.Headers["X-Test-Roles"] = roles ?? string.Empty;
        });
        if (messagePack)
        {
            builder.AddMessagePackProtocol();
        }
        else
        {
            builder.AddJsonProtocol(o => o.PayloadSerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter()));
        }

        Connection = builder.Build();
        Connection.On<LiveUpdate>("Update", u => _updates.Writer.TryWrite(u));
        Connection.On<string, string>("Ended", (scope, reason) => Ended.Writer.TryWrite((scope, reason)));
    }

    /// <summary>Subscriptions the server ended, with the reason.</summary>
    public Channel<(string Scope, string Reason)> Ended { get; } = Channel.CreateUnbounded<(string, string)>();

    public HubConnection Connection { get; }

    public Task StartAsync(CancellationToken cancellationToken) => Connection.StartAsync(cancellationToken);

    public Task SubscribeAsync(string scope, CancellationToken cancellationToken) => Connection.InvokeAsync("Subscribe", scope, cancellationToken);

    public Task UnsubscribeAsync(string scope, CancellationToken cancellationToken) => Connection.InvokeAsync("Unsubscribe", scope, cancellationToken);

    /// <summary>The next update (fails after <paramref name="timeout"/>, default 20 s).</summary>
    public async Task<LiveUpdate> NextAsync(CancellationToken cancellationToken, TimeSpan? timeout = null)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout ?? TimeSpan.FromSeconds(20));
        return await _updates.Reader.ReadAsync(cts.Token);
    }

    /// <summary>Reads updates until one satisfies <paramref name="done"/>, returning every update read.</summary>
    public async Task<List<LiveUpdate>> UntilAsync(Func<LiveUpdate, bool> done, CancellationToken cancellationToken, TimeSpan? timeout = null)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout ?? TimeSpan.FromSeconds(30));
        var seen = new List<LiveUpdate>();
        while (true)
        {
            var update = await _updates.Reader.ReadAsync(cts.Token);
            seen.Add(update);
            if (done(update))
            {
                return seen;
            }
        }
    }

    /// <summary>Whether an update arrives within <paramref name="wait"/>.</summary>
    public async Task<LiveUpdate?> TryNextAsync(TimeSpan wait, CancellationToken cancellationToken)
    {
        try
        {
            return await NextAsync(cancellationToken, wait);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    public ValueTask DisposeAsync() => Connection.DisposeAsync();
}
