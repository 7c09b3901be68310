using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Studio.Sandbox.Hosting;

namespace Studio.Pages.Bench;

/// <summary>
/// The real studio on Kestrel (loopback, random port, Local sign-in, SQLite) with its embedded sandbox on the
/// <c>preset:scale-5000</c> topology. The sandbox's simulation (scheduler, kubelets) is off so that the only pod changes are
/// the bench's, and <see cref="PodPreloader"/> writes the pods straight into the sandbox's store before the studio
/// registers the cluster (no API round trip per pod, no watch flood).
/// </summary>
internal sealed class PagesHost : WebApplicationFactory<global::Program>
{
    private readonly string _dataFolder = Path.Combine(Path.GetTempPath(), "studio-pages-bench-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly int _pods;

    public PagesHost(int pods)
    {
        _pods = pods;
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
        builder.UseSetting("Studio:Sandbox:TopologyPath", "preset:scale-5000");
        builder.ConfigureLogging(l => l.SetMinimumLevel(LogLevel.Warning));
        builder.ConfigureTestServices(services =>
        {
            var host = (SandboxHost)services.First(d => d.ServiceType == typeof(SandboxHost)).ImplementationInstance!;
            host.Options.Simulate = false;

            // Right after the sandbox starts, before the studio's initializer registers it (hosted services start in order).
            var index = services.ToList().FindIndex(d => d.ServiceType == typeof(IHostedService) && d.ImplementationType == typeof(SandboxHostedService));
            services.Insert(index + 1, ServiceDescriptor.Singleton<IHostedService>(sp => new PodPreloader(sp.GetRequiredService<SandboxHost>(), _pods)));
            services.AddScoped<CircuitHandler, CircuitCounter>();
            services.AddScoped<CircuitHandler, CircuitCensus>();
        });
    }
}
