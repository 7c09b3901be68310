using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;
using Studio.Infrastructure.Artifacts;

namespace Studio.Web;

/// <summary>
/// The address pods reach the studio's signed artifact URLs at: <c>Studio:Artifacts:PublicUrl</c>, else the first
/// address the server listens on (a wildcard host becomes 127.0.0.1: right for the embedded sandbox, which runs in the
/// studio's process; a real cluster needs the public URL set).
/// </summary>
public sealed class ServerArtifactBaseUrl(IServer server, IOptions<ArtifactsOptions> options) : IArtifactBaseUrl
{
    public Uri Current
    {
        get
        {
            if (!string.IsNullOrWhiteSpace(options.Value.PublicUrl))
            {
                return new Uri(options.Value.PublicUrl);
            }

            var address = server.Features.Get<IServerAddressesFeature>()?.Addresses
                .OrderBy(a => a.StartsWith("http://", StringComparison.OrdinalIgnoreCase) ? 0 : 1)
                .FirstOrDefault();
            if (address is null)
            {
                // An in-memory test server listens nowhere: URLs name loopback and nothing outside can fetch them.
                return new Uri("http://localhost");
            }

            var builder = new UriBuilder(address.Replace("://+", "://127.0.0.1", StringComparison.Ordinal).Replace("://*", "://127.0.0.1", StringComparison.Ordinal));
            if (builder.Host is "0.0.0.0" or "[::]" or "::")
            {
                builder.Host = "127.0.0.1";
            }

            return builder.Uri;
        }
    }
}
