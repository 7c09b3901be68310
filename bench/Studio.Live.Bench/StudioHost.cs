using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Studio.Live.Bench;

/// <summary>The real studio with its embedded sandbox on Kestrel (loopback, random port, Local sign-in).</summary>
internal sealed class StudioHost : WebApplicationFactory<global::Program>
{
    private readonly string _dataFolder = Path.Combine(Path.GetTempPath(), "studio-live-bench-" + Guid.NewGuid().ToString("N")[..8]);

    public StudioHost()
    {
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
        builder.ConfigureLogging(l => l.SetMinimumLevel(LogLevel.Warning));
    }
}
