using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Studio.Live.Bench;

/// <summary>The real studio with its embedded sandbox on Kestrel (loopback, random port, Local sign-in).</summary>
internal sealed class StudioHost : WebApplicationFactory<global::Program>
{
    private readonly string _dataFolder = Path.Combine(Path.GetTempPath(), "studio-live-bench-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly int _sendBufferSize;
    private readonly bool _embeddedSandbox;
    private readonly IReadOnlyDictionary<string, string?> _settings;

    /// <param name="sendBufferSize">
    /// If set, the socket send buffer of every accepted connection (a self-check: on loopback the kernel otherwise
    /// buffers megabytes per connection, so a client that stops reading takes minutes to back up the server's writes).
    /// </param>
    /// <param name="embeddedSandbox">Whether the studio hosts its sandbox cluster in-process (its default) or the bench runs one elsewhere.</param>
    /// <param name="settings">Configuration for the studio (e.g. the live hub's options, <c>Studio:Live:Hub:*</c>).</param>
    public StudioHost(int sendBufferSize = 0, bool embeddedSandbox = true, IReadOnlyDictionary<string, string?>? settings = null)
    {
        _sendBufferSize = sendBufferSize;
        _embeddedSandbox = embeddedSandbox;
        _settings = settings ?? new Dictionary<string, string?>();
        // Resolved here, not by the test manifest (a bench is not a test project).
        UseKestrel(0);
        StartServer();
        BaseUrl = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
    }

    public string BaseUrl { get; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Studio.sln")))
        {
            root = root.Parent;
        }

        builder.UseContentRoot(Path.Combine(root?.FullName ?? ".", "src", "Studio.Web"));
        builder.UseEnvironment("Production");
        builder.UseSetting("Studio:DataFolder", _dataFolder);
        builder.UseSetting("Studio:Monitoring:Enabled", "false");
        builder.UseSetting("Studio:Sandbox:Enabled", _embeddedSandbox ? "true" : "false");
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureLogging(l => l.SetMinimumLevel(LogLevel.Warning));
        if (_sendBufferSize > 0)
        {
            // Accepted sockets inherit the listening socket's buffer sizes (and a fixed size turns autotuning off).
            builder.ConfigureServices(services => services.Configure<SocketTransportOptions>(o => o.CreateBoundListenSocket = endpoint =>
            {
                var socket = SocketTransportOptions.CreateDefaultBoundListenSocket(endpoint);
                socket.SendBufferSize = _sendBufferSize;
                return socket;
            }));
        }
    }
}
