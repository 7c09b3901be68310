using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
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
            await Problem(context, StatusCodes.Status400BadRequest, "Bad artifact path", error ?? "The path names a folder.").ConfigureAwait(false);
            return;
        }

        var method = context.Request.Method;
        var access = HttpMethods.IsPut(method) ? ArtifactAccess.Write : ArtifactAccess.Read;
        if (!HttpMethods.IsGet(method) && !HttpMethods.IsHead(method) && !HttpMethods.IsPut(method))
        {
            context.Response.Headers.Allow = "GET, HEAD, PUT";
            await Problem(context, StatusCodes.Status405MethodNotAllowed, "Method not allowed", "Artifact URLs take GET, HEAD and PUT.").ConfigureAwait(false);
            return;
        }

        if (signer.Check(context.Request.Query[ArtifactUrlSigner.TokenParameter], path, access) is { } refused)
        {
            await Problem(context, StatusCodes.Status403Forbidden, "Signed URL refused", refused).ConfigureAwait(false);
            return;
        }

        if (access == ArtifactAccess.Write)
        {
            var limit = options.Value.MaxUploadBytes;
            if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
            {
                size.MaxRequestBodySize = limit;
            }

            if (context.Request.ContentLength > limit)
            {
                await Problem(context, StatusCodes.Status413PayloadTooLarge, "Upload too large", $"An upload is at most {limit} bytes.").ConfigureAwait(false);
                return;
            }

            try
            {
                await store.UploadAsync(path, context.Request.Body, context.RequestAborted).ConfigureAwait(false);
            }
            catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
            {
                await Problem(context, StatusCodes.Status413PayloadTooLarge, "Upload too large", $"An upload is at most {limit} bytes.").ConfigureAwait(false);
                return;
            }

            context.Response.StatusCode = StatusCodes.Status201Created;
            return;
        }

        var file = await store.OpenReadAsync(path, context.RequestAborted).ConfigureAwait(false);
        if (file is null)
        {
            await Problem(context, StatusCodes.Status404NotFound, "Not found", $"There is no artifact '{path}'.").ConfigureAwait(false);
            return;
        }

        await using (file)
        {
            context.Response.StatusCode = StatusCodes.Status200OK;
            context.Response.ContentType = "application/octet-stream";
            context.Response.ContentLength = file.Length;
            context.Response.Headers.CacheControl = "private, no-store";
            if (!HttpMethods.IsHead(method))
            {
                await file.CopyToAsync(context.Response.Body, context.RequestAborted).ConfigureAwait(false);
            }
        }
    }

    private static Task Problem(HttpContext context, int status, string title, string detail)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(new { type = "about:blank", title, status, detail }, options: null, contentType: "application/problem+json", context.RequestAborted);
    }
}
