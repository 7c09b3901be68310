using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Studio.E2E.Shared;

namespace Studio.E2E.Oidc;

/// <summary>The studio on a real loopback Kestrel port, in <c>Oidc</c> sign-in mode against the test provider.</summary>
public sealed class OidcStudioFactory : WebApplicationFactory<Program>
{
    /// <summary>The audience (resource indicator) of the provider's JWT access tokens for the studio API.</summary>
    public const string ApiAudience = "urn:studio:api";

    private readonly Uri _issuer;
    private readonly bool _sandbox;

    /// <param name="issuer">The provider's issuer address.</param>
    /// <param name="sandbox">Whether the embedded sandbox cluster runs (off by default: sign-in tests need no cluster).</param>
    public OidcStudioFactory(Uri issuer, bool sandbox = false)
    {
        _issuer = issuer;
        _sandbox = sandbox;
        DataFolder = Path.Combine(Path.GetTempPath(), "studio-oidc-e2e", Guid.NewGuid().ToString("N"));
        UseKestrel(0);
    }

    /// <summary>A fresh folder (SQLite database, data-protection keys) for this factory only.</summary>
    public string DataFolder { get; }

    /// <summary>The studio's address, e.g. <c>http://127.0.0.1:40123/</c>. Valid after <see cref="WebApplicationFactory{T}.StartServer"/>.</summary>
    public Uri BaseAddress => ClientOptions.BaseAddress;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("Studio:DataFolder", DataFolder);
        builder.UseQuietLogging();
        builder.UseSetting("Studio:Sandbox:Enabled", _sandbox ? "true" : "false");
        builder.UseSetting("Studio:Auth:Mode", "Oidc");
        builder.UseSetting("Studio:Auth:Oidc:Authority", _issuer.ToString().TrimEnd('/'));
        builder.UseSetting("Studio:Auth:Oidc:ClientId", "studio");
        builder.UseSetting("Studio:Auth:Oidc:ClientSecret", "studio-secret");
        builder.UseSetting("Studio:Auth:Oidc:Audience", ApiAudience);
        builder.UseSetting("Studio:Auth:Oidc:RequireHttpsMetadata", "false");
        builder.UseSetting("Studio:Auth:RoleMap:studio-admins", "Administrator");
        builder.UseSetting("Studio:Auth:RoleMap:studio-readers", "Reader");
        builder.UseSetting("Studio:Auth:RoleMap:studio-data-scientists", "DataScientist");
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        try
        {
            Directory.Delete(DataFolder, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open by SQLite's pool; the temp folder is cleaned by the OS eventually.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
