using Studio.Infrastructure.Artifacts;
using Studio.Infrastructure.Datastores;

namespace Studio.Web.Api;

/// <summary>
/// The studio store's signed URLs (<c>GET|HEAD|PUT /artifacts/PATH?t=TOKEN</c>), which pods call without a studio
/// sign-in: the signature is the authorization (<see cref="LocalArtifactHttp"/>), so the route allows anonymous callers
/// and answers 403 to anything not signed for exactly that path, access and time. Paths under <c>ds/</c> are datastore
/// paths relayed by the studio (<see cref="DatastoreRelay"/>: SAS and identity datastores, job outputs).
/// </summary>
public static class ArtifactEndpoints
{
    public const string Pattern = "/artifacts/{**path}";

    public static IEndpointRouteBuilder MapArtifactEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapMethods(Pattern, [HttpMethods.Get, HttpMethods.Head, HttpMethods.Put, HttpMethods.Post], (HttpContext http, LocalArtifactHttp artifacts, DatastoreRelay datastores) =>
                http.GetRouteValue("path") as string is var path && DatastoreRelay.Handles(path)
                    ? datastores.HandleAsync(http, path)
                    : artifacts.HandleAsync(http, path))
            .AllowAnonymous()
            .ExcludeFromDescription();
        return app;
    }
}
