namespace Studio.Web.Security;

/// <summary>Adds CSP (with frame-ancestors), nosniff, referrer and permissions headers to every response.</summary>
public sealed class SecurityHeadersMiddleware(RequestDelegate next, string contentSecurityPolicy)
{
    public Task InvokeAsync(HttpContext context)
    {
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = contentSecurityPolicy;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()";
            headers["Cross-Origin-Opener-Policy"] = "same-origin";
            return Task.CompletedTask;
        });
        return next(context);
    }

    /// <summary>The policy: scripts and connections only to the studio itself; MudBlazor needs inline styles.</summary>
    public static string BuildPolicy(string? identityProviderOrigin)
    {
        var formAction = identityProviderOrigin is null ? "'self'" : $"'self' {identityProviderOrigin}";
        return "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; " +
               $"connect-src 'self' ws: wss:; frame-ancestors 'none'; base-uri 'self'; object-src 'none'; form-action {formAction}";
    }
}
