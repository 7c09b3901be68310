using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Studio.E2E.Shared;

/// <summary>
/// The real studio on an in-process Kestrel, random loopback port, fresh SQLite database, Local sign-in, and the
/// embedded sandbox cluster — exactly what <c>dotnet run --project src/Studio.Web</c> serves.
/// </summary>
public sealed class StudioServer : WebApplicationFactory<Program>
{
    private readonly string _dataFolder;

    public StudioServer()
        : this(Path.Combine(Path.GetTempPath(), "studio-e2e-" + Guid.NewGuid().ToString("N")[..8]), 0)
    {
    }

    /// <summary>A studio on a given data folder and port: start a second one on the same pair to restart "the" server.</summary>
    public StudioServer(string dataFolder, int port)
    {
        _dataFolder = dataFolder;
        UseKestrel(port);
        StartServer();
        BaseUrl = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
    }

    public string BaseUrl { get; }

    public string DataFolder => _dataFolder;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Studio:DataFolder", _dataFolder);
        builder.UseQuietLogging();
    }
}
