using System.Net;

namespace Studio.Web.Security;

/// <summary>Refuses Local sign-in mode on addresses other than loopback, before the server starts.</summary>
public static class LoopbackGuard
{
    /// <summary>Throws when Local mode would be reachable from the network.</summary>
    public static void EnsureLocalModeIsSafe(IConfiguration configuration, AuthOptions options)
    {
        if (options.Mode != SignInMode.Local || options.AllowLocalModeOnNetwork)
        {
            return;
        }

        var offending = ConfiguredUrls(configuration).Where(u => !IsLoopback(u)).ToList();
        if (offending.Count > 0)
        {
            throw new InvalidOperationException(
                $"Local sign-in mode makes everyone an administrator, so the studio only listens on loopback in that mode, but it is configured for {string.Join(", ", offending)}. " +
                "Use --urls http://127.0.0.1:PORT, configure Studio:Auth:Mode Entra or Oidc, or set Studio:Auth:AllowLocalModeOnNetwork=true if you really mean it.");
        }
    }

    public static IEnumerable<string> ConfiguredUrls(IConfiguration configuration)
    {
        foreach (var key in new[] { "urls", "ASPNETCORE_URLS" })
        {
            foreach (var url in (configuration[key] ?? string.Empty).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                yield return url;
            }
        }

        var endpoints = configuration.GetSection("Kestrel:Endpoints").GetChildren().ToList();
        foreach (var endpoint in endpoints)
        {
            if (endpoint["Url"] is { Length: > 0 } url)
            {
                yield return url;
            }
        }

        // HTTP_PORTS / HTTPS_PORTS (ASPNETCORE_HTTP_PORTS, DOTNET_HTTP_PORTS, --http_ports) bind every interface, and apply
        // when neither urls nor Kestrel endpoints are set.
        if (endpoints.Count == 0 && string.IsNullOrWhiteSpace(configuration["urls"]))
        {
            foreach (var (key, scheme) in new[] { ("http_ports", "http"), ("https_ports", "https") })
            {
                foreach (var port in (configuration[key] ?? string.Empty).Split([';', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                {
                    yield return $"{scheme}://*:{port}";
                }
            }
        }
    }

    /// <summary>The host names a Local-mode studio answers to: a page on another name (DNS rebinding) gets 400.</summary>
    public static readonly string[] LoopbackHosts = ["localhost", "127.0.0.1", "[::1]"];

    public static bool IsLoopback(string url)
    {
        // Kestrel accepts wildcards that URI parsing does not: http://*:80, http://+:80.
        var normalized = url.Replace("://*", "://wildcard.invalid", StringComparison.Ordinal).Replace("://+", "://wildcard.invalid", StringComparison.Ordinal);
        if (!Uri.TryCreate(normalized, UriKind.Absolute, out var uri))
        {
            return false;
        }

        if (string.Equals(uri.Host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        return IPAddress.TryParse(uri.Host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address);
    }
}
