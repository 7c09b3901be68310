using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Studio.Sandbox.Api;
using Studio.Sandbox.Hosting;

namespace Studio.Sandbox;

/// <summary>A Kubernetes-API-compatible sandbox cluster served on 127.0.0.1 (plain HTTP, or HTTPS with <see cref="SandboxOptions.Tls"/>).</summary>
public sealed class SandboxServer : IAsyncDisposable
{
    /// <summary>The fixed bearer token written into kubeconfigs (the sandbox does not authenticate).</summary>
    public const string DevToken = "sandbox-dev-token";

    private readonly WebApplication _app;
    private readonly CancellationTokenSource _stopping;
    private int _disposed;

    private readonly BearerTokens _tokens;

    private SandboxServer(WebApplication app, SandboxCluster cluster, CancellationTokenSource stopping, Uri baseAddress, BearerTokens tokens, string? certificateAuthorityPem)
    {
        _tokens = tokens;
        CertificateAuthorityPem = certificateAuthorityPem;
        _app = app;
        Cluster = cluster;
        _stopping = stopping;
        BaseAddress = baseAddress;
    }

    /// <summary>e.g. http://127.0.0.1:41234 (https with <see cref="SandboxOptions.Tls"/>)</summary>
    public Uri BaseAddress { get; }

    /// <summary>The serving certificate (PEM) a client trusts as its CA when the sandbox serves HTTPS; null over plain HTTP.</summary>
    public string? CertificateAuthorityPem { get; }

    internal SandboxCluster Cluster { get; }

    public static async Task<SandboxServer> StartAsync(SandboxOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegative(options.Port);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.Port, 65535);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.Speed);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.WatchHistorySize, 16);
        var cluster = new SandboxCluster(options);
        cluster.Seed();
        cluster.StartSimulation();
        var stopping = new CancellationTokenSource();
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = [],
            ApplicationName = typeof(SandboxServer).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
            EnvironmentName = Environments.Production,
        });
        builder.Configuration.Sources.Clear();
        builder.Logging.ClearProviders();
        // Warnings (e.g. Kestrel's "heartbeat took longer" on a busy machine) go to stderr: the standalone sandbox's stdout
        // is its one ready line, which scripts and tests read.
        builder.Logging.AddSimpleConsole().SetMinimumLevel(LogLevel.Warning);
        builder.Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Services.AddSingleton<IHostLifetime, NoopHostLifetime>();
        // Watch fan-out writes from many connections at once; running continuations inline on the socket threads avoids a
        // thread-pool hop per write. Safe here: request handlers never block on I/O (the store lock is held only briefly).
        builder.WebHost.UseSockets(o => o.UnsafePreferInlineScheduling = true);
        var certificate = options.Tls ? SelfSignedCertificate.Create() : null;
        builder.WebHost.UseKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, options.Port, listen =>
            {
                if (certificate is not null)
                {
                    listen.UseHttps(certificate);
                }
            });
            k.Limits.MaxRequestBodySize = 64 * 1024 * 1024;
        });
        var app = builder.Build();
        var tokens = new BearerTokens(options.AcceptedTokens);
        var handler = new ApiHandler(cluster.Service, cluster.Logs, cluster.Faults, tokens, options.BookmarkInterval, stopping.Token);
        app.Run(async ctx =>
        {
            await cluster.Faults.WhileFrozenAsync(ctx.RequestAborted).ConfigureAwait(false);
            if (cluster.Simulator is { } simulator && await simulator.Http.TryHandleAsync(ctx).ConfigureAwait(false))
            {
                return;
            }

            await handler.HandleAsync(ctx).ConfigureAwait(false);
        });
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var port = new Uri(address).Port;
        var scheme = certificate is null ? "http" : "https";
        return new SandboxServer(app, cluster, stopping, new Uri($"{scheme}://127.0.0.1:{port}"), tokens, certificate?.ExportCertificatePem());
    }

    /// <summary>A kubeconfig with one cluster, one token user and one context (the current context).</summary>
    public string CreateKubeconfigYaml(string contextName = "sandbox")
    {
        var server = BaseAddress.ToString().TrimEnd('/');
        return $$"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: {{contextName}}
              cluster:
                server: {{server}}{{(CertificateAuthorityPem is null ? "" : "\n    certificate-authority-data: " + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(CertificateAuthorityPem)))}}
            users:
            - name: {{contextName}}-admin
              user:
                token: {{DevToken}}
            contexts:
            - name: {{contextName}}
              context:
                cluster: {{contextName}}
                user: {{contextName}}-admin
                namespace: default
            current-context: {{contextName}}
            preferences: {}

            """;
    }

    /// <summary>
    /// Which bearer tokens the API server accepts from now on (none: every request, the default); others get 401, as after
    /// a service account token was rotated.
    /// </summary>
    public void AcceptTokens(params string[] tokens) => _tokens.Accept(tokens);

    /// <summary>Fault injection: ends every open watch now (clients see the stream close and must re-watch).</summary>
    /// <returns>How many watches were closed.</returns>
    public int DropWatches() => Cluster.Store.CloseAllSubscriptions();

    /// <summary>Fault injection: forgets the watch history, so a watch from any earlier resourceVersion gets 410 Gone.</summary>
    public void ExpireWatchHistory() => Cluster.Store.CompactHistory();

    /// <summary>
    /// Fault injection: the next <paramref name="count"/> API requests (optionally only for one resource plural, e.g. "pods",
    /// and one HTTP method) fail with a Status of <paramref name="statusCode"/> (429, 500, 503, 504, 410, ...).
    /// </summary>
    public void FailNextRequests(int statusCode, int count = 1, string? resource = null, string? method = null)
    {
        for (var i = 0; i < count; i++)
        {
            Cluster.Faults.Enqueue(Api.FaultInjector.ErrorFor(statusCode), method, resource);
        }
    }

    /// <summary>
    /// Fault injection: the API server hangs, as a frozen process whose TCP connections stay open. Every request (discovery
    /// and <c>/version</c> included) waits without an answer and open watches send nothing, not even bookmarks, until
    /// <see cref="Thaw"/>.
    /// </summary>
    public void Freeze() => Cluster.Faults.Freeze();

    /// <summary>Ends <see cref="Freeze"/>: waiting requests are answered and watches go on.</summary>
    public void Thaw() => Cluster.Faults.Thaw();

    /// <summary>Fault injection: extra latency added to every resource request (TimeSpan.Zero turns it off).</summary>
    public TimeSpan RequestLatency
    {
        get => Cluster.Faults.Latency;
        set => Cluster.Faults.Latency = value;
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(timeout.Token).ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        if (Cluster.Simulator is { } simulator)
        {
            await simulator.DisposeAsync().ConfigureAwait(false);
        }

        _stopping.Dispose();
    }
}
