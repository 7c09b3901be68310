using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Studio.Web.Tests.Shared;

namespace Studio.Web.Tests.Auth;

/// <summary>
/// The real composition root (<c>Program</c>) with the given configuration, on the in-memory test server: for asserting
/// how a sign-in mode wires authentication without a network or an identity provider.
/// </summary>
public sealed class AuthConfigurationFactory(IReadOnlyDictionary<string, string?> settings) : WebApplicationFactory<Program>
{
    private readonly string _dataFolder = Path.Combine(Path.GetTempPath(), "studio-auth-tests", Guid.NewGuid().ToString("N"));

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("Studio:DataFolder", _dataFolder);
        builder.UseQuietLogging();
        builder.UseSetting("Studio:Sandbox:Enabled", "false");
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        try
        {
            Directory.Delete(_dataFolder, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Left for the OS to clean; never worth failing a test over.
        }
    }
}
