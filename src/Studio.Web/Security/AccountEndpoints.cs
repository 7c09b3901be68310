using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.Extensions.Options;

namespace Studio.Web.Security;

/// <summary>Our own sign-in and sign-out endpoints (Microsoft.Identity.Web.UI is not available).</summary>
public static class AccountEndpoints
{
    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/account").ExcludeFromDescription();

        group.MapGet("/signin", (string? returnUrl, IOptions<AuthOptions> options, HttpContext context) =>
        {
            var target = SafeReturnUrl(returnUrl);
            return options.Value.Mode == SignInMode.Local || context.User.Identity?.IsAuthenticated == true
                ? Results.LocalRedirect(target)
                : Results.Challenge(new AuthenticationProperties { RedirectUri = target }, [OpenIdConnectDefaults.AuthenticationScheme]);
        }).AllowAnonymous();

        group.MapPost("/signout", (IOptions<AuthOptions> options, HttpContext context) =>
            context.Features.Get<IAntiforgeryValidationFeature>() is { IsValid: false }
                ? Results.Problem("The sign-out form has expired or did not come from the studio. Reload the page and try again.", statusCode: StatusCodes.Status400BadRequest)
                : options.Value.Mode == SignInMode.Local
                    ? Results.LocalRedirect("/")
                    : Results.SignOut(
                        new AuthenticationProperties { RedirectUri = "/signed-out" },
                        [CookieAuthenticationDefaults.AuthenticationScheme, OpenIdConnectDefaults.AuthenticationScheme]))
            .RequireAuthorization(Policies.SignedIn)
            .WithMetadata(new RequireAntiforgeryTokenAttribute());

        return app;
    }

    /// <summary>
    /// Only local paths: never an open redirect. Browsers drop tabs and line breaks from URLs and read a backslash as a
    /// slash, so <c>/\t/evil.example</c> or <c>/\\evil.example</c> would become <c>//evil.example</c>: any control or
    /// whitespace character refuses the address, as does a second character that is a slash or backslash.
    /// </summary>
    public static string SafeReturnUrl(string? returnUrl)
    {
        if (string.IsNullOrEmpty(returnUrl) || returnUrl.Length > 2048 || returnUrl[0] != '/')
        {
            return "/";
        }

        if (returnUrl.Length > 1 && returnUrl[1] is '/' or '\\')
        {
            return "/";
        }

        foreach (var c in returnUrl)
        {
            if (char.IsControl(c) || char.IsWhiteSpace(c))
            {
                return "/";
            }
        }

        return returnUrl;
    }
}
