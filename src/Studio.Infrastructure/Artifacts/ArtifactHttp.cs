using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Studio.Infrastructure.Artifacts;

/// <summary>
/// What the studio's signed-URL endpoints share (the studio store's <see cref="LocalArtifactHttp"/> and the datastore
/// relay): problem details, receiving an upload under <see cref="ArtifactsOptions.MaxUploadBytes"/> (413 over it) and
/// serving a file (404 when there is none).
/// </summary>
public static class ArtifactHttp
{
    /// <summary>Writes RFC 7807 problem details with <paramref name="status"/>.</summary>
    public static Task Problem(HttpContext context, int status, string title, string detail)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(new { type = "about:blank", title, status, detail }, options: null, contentType: "application/problem+json", context.RequestAborted);
    }

    /// <summary>Stores the request body at <paramref name="path"/> (201), or answers 413 when it is over <paramref name="limit"/> bytes.</summary>
    public static async Task ReceiveAsync(HttpContext context, IArtifactStore store, string path, long limit)
    {
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = limit;
        }

        if (context.Request.ContentLength > limit)
        {
            await TooLarge(context, limit).ConfigureAwait(false);
            return;
        }

        try
        {
            await store.UploadAsync(path, context.Request.Body, context.RequestAborted).ConfigureAwait(false);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            await TooLarge(context, limit).ConfigureAwait(false);
            return;
        }

        context.Response.StatusCode = StatusCodes.Status201Created;
    }

    /// <summary>Sends <paramref name="file"/> (the body only for GET), or a 404 saying <paramref name="missing"/> when it is null.</summary>
    public static async Task ServeAsync(HttpContext context, Stream? file, string missing)
    {
        if (file is null)
        {
            await Problem(context, StatusCodes.Status404NotFound, "Not found", missing).ConfigureAwait(false);
            return;
        }

        await using (file)
        {
            context.Response.StatusCode = StatusCodes.Status200OK;
            context.Response.ContentType = "application/octet-stream";
            if (file.CanSeek)
            {
                context.Response.ContentLength = file.Length;
            }

            context.Response.Headers.CacheControl = "private, no-store";
            if (!HttpMethods.IsHead(context.Request.Method))
            {
                await file.CopyToAsync(context.Response.Body, context.RequestAborted).ConfigureAwait(false);
            }
        }
    }

    private static Task TooLarge(HttpContext context, long limit) =>
        Problem(context, StatusCodes.Status413PayloadTooLarge, "Upload too large", $"An upload is at most {limit} bytes.");
}
