namespace Studio.Web.Security;

/// <summary>
/// Refuses cross-site requests that would act with the browser's ambient identity (the sign-in cookie, or Local mode's
/// loopback administrator): a state-changing request (anything but GET, HEAD, OPTIONS) or a WebSocket upgrade (the
/// Blazor circuit, the live hub) whose <c>Sec-Fetch-Site</c> says another site or whose <c>Origin</c> is not the studio's
/// own answers 403 with problem details. Requests with an <c>Authorization</c> header (API bearer tokens, which a foreign
/// page cannot attach) and requests from non-browser clients (no Origin, no Sec-Fetch-Site) pass. It runs after
/// authentication, so the identity provider's form-post callback is handled before it. The same rule as Go's
/// <c>http.CrossOriginProtection</c>.
/// </summary>
public sealed class SameOriginGuard(RequestDelegate next, RefusalLog refusals, ILogger<SameOriginGuard> logger)
{
    public Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        if (!NeedsCheck(request) || IsSameOrigin(request))
        {
            return next(context);
        }

        refusals.Refused(logger, $"a cross-origin {request.Method} {request.Path}", $"Origin {(string?)request.Headers.Origin}, Sec-Fetch-Site {(string?)request.Headers["Sec-Fetch-Site"]}", context.User.Identity?.Name);
        return Results.Problem(
            "This request came from another site. The studio only accepts changes made from its own pages or with an API token.",
            statusCode: StatusCodes.Status403Forbidden,
            title: "Cross-origin request refused").ExecuteAsync(context);
    }

    private static bool NeedsCheck(HttpRequest request) =>
        request.Headers.Authorization.Count == 0
        && (!(HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method))
            || request.Headers.Upgrade.Any(u => string.Equals(u, "websocket", StringComparison.OrdinalIgnoreCase)));

    /// <summary>Same origin by <c>Sec-Fetch-Site</c> when the browser sends it, otherwise by <c>Origin</c> against the Host.</summary>
    public static bool IsSameOrigin(HttpRequest request)
    {
        var fetchSite = (string?)request.Headers["Sec-Fetch-Site"];
        if (!string.IsNullOrEmpty(fetchSite))
        {
            return fetchSite is "same-origin" or "none";
        }

        var origin = (string?)request.Headers.Origin;
        if (string.IsNullOrEmpty(origin))
        {
            return true;
        }

        return Uri.TryCreate(origin, UriKind.Absolute, out var uri)
               && string.Equals(uri.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase);
    }
}
