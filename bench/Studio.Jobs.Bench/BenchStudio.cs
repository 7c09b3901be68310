using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Studio.Jobs.Bench;

/// <summary>The real studio on an in-process Kestrel (loopback, local sign-in, fresh SQLite) with its embedded sandbox.</summary>
internal sealed class BenchStudio : WebApplicationFactory<global::Program>
{
    private readonly string _dataFolder = Path.Combine(Path.GetTempPath(), "studio-jobs-bench-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly double _speed;
    private readonly int? _requestsPerSecond;
    private readonly IReadOnlyDictionary<string, string> _settings;

    public BenchStudio(double speed, int? requestsPerSecond, IReadOnlyDictionary<string, string>? settings = null)
    {
        _speed = speed;
        _requestsPerSecond = requestsPerSecond;
        _settings = settings ?? new Dictionary<string, string>();

        // A console app has no WebApplicationFactoryContentRoot attribute: point the factory at src/Studio.Web.
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Studio.sln")))
        {
            dir = dir.Parent;
        }

        Environment.SetEnvironmentVariable("ASPNETCORE_TEST_CONTENTROOT_STUDIO_WEB", Path.Combine(dir?.FullName ?? ".", "src", "Studio.Web"));
        UseKestrel(0);
        StartServer();
        BaseUrl = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
    }

    public string BaseUrl { get; }

    /// <summary>The studio's data folder (SQLite, the local artifact store).</summary>
    public string DataFolder => _dataFolder;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");
        builder.UseSetting("Studio:DataFolder", _dataFolder);
        builder.UseSetting("Studio:Sandbox:Speed", _speed.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (_requestsPerSecond is { } rps)
        {
            builder.UseSetting("Studio:Clusters:RequestsPerSecond", rps.ToString(System.Globalization.CultureInfo.InvariantCulture));
            builder.UseSetting("Studio:Clusters:Burst", (rps * 2).ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureLogging(l => l.SetMinimumLevel(LogLevel.Warning));
    }
}
