using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Studio.Domain.Artifacts;

namespace Studio.Infrastructure.Artifacts;

/// <summary>
/// Serves the studio store over HTTP: <c>GET|HEAD /artifacts/PATH?t=TOKEN</c> reads a file, <c>PUT</c> writes one (job
/// outputs). The signed token is the only authorization (pods have no studio sign-in): a wrong, altered or expired token,
/// or one signed for another path, answers 403 with the reason as problem details; a bad path 400; a missing file 404.
/// </summary>
public sealed class LocalArtifactHttp(LocalArtifactStore store, ArtifactUrlSigner signer, IOptions<ArtifactsOptions> options)
{
    public async Task HandleAsync(HttpContext context, string? rawPath)
    {
        var (path, error) = ArtifactPath.Normalize(rawPath);
        if (error is not null || path!.EndsWith('/'))
        {
            await ArtifactHttp.Problem(context, StatusCodes.Status400BadRequest, "Bad artifact path", error ?? "The path names a folder.").ConfigureAwait(false);
            return;
        }

        var method = context.Request.Method;
        var access = HttpMethods.IsPut(method) ? ArtifactAccess.Write : ArtifactAccess.Read;
        if (!HttpMethods.IsGet(method) && !HttpMethods.IsHead(method) && !HttpMethods.IsPut(method))
        {
            context.Response.Headers.Allow = "GET, HEAD, PUT";
            await ArtifactHttp.Problem(context, StatusCodes.Status405MethodNotAllowed, "Method not allowed", "Artifact URLs take GET, HEAD and PUT.").ConfigureAwait(false);
            return;
        }

        if (signer.Check(context.Request.Query[ArtifactUrlSigner.TokenParameter], path, access) is { } refused)
        {
            await ArtifactHttp.Problem(context, StatusCodes.Status403Forbidden, "Signed URL refused", refused).ConfigureAwait(false);
            return;
        }

        if (access == ArtifactAccess.Write)
        {
            await ArtifactHttp.ReceiveAsync(context, store, path, options.Value.MaxUploadBytes).ConfigureAwait(false);
            return;
        }

        await ArtifactHttp.ServeAsync(context, await store.OpenReadAsync(path, context.RequestAborted).ConfigureAwait(false), $"There is no artifact '{path}'.").ConfigureAwait(false);
    }
}
