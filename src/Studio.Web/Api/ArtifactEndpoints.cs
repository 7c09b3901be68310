using Studio.Infrastructure.Artifacts;

namespace Studio.Web.Api;

/// <summary>
/// The studio store's signed URLs (<c>GET|HEAD|PUT /artifacts/PATH?t=TOKEN</c>), which pods call without a studio
/// sign-in: the signature is the authorization (<see cref="LocalArtifactHttp"/>), so the route allows anonymous callers
/// and answers 403 to anything not signed for exactly that path, access and time.
/// </summary>
public static class ArtifactEndpoints
{
    public const string Pattern = "/artifacts/{**path}";

    public static IEndpointRouteBuilder MapArtifactEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapMethods(Pattern, [HttpMethods.Get, HttpMethods.Head, HttpMethods.Put], (HttpContext http, LocalArtifactHttp artifacts) => artifacts.HandleAsync(http, http.GetRouteValue("path") as string))
            .AllowAnonymous()
            .ExcludeFromDescription();
        return app;
    }
}
