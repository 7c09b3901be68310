using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Studio.Domain.Artifacts;
using Studio.Infrastructure.Artifacts;

namespace Studio.Infrastructure.Datastores;

/// <summary>
/// The studio's signed URLs for datastore paths it cannot sign with the storage's own means (a SAS or identity Azure
/// datastore, and every job output): <c>GET|HEAD /artifacts/ds/&lt;datastore id&gt;/PATH?t=TOKEN</c> reads through the
/// studio, <c>PUT</c> (or <c>POST</c>, which BusyBox's wget can send) writes. The token (<see cref="ArtifactUrlSigner"/>)
/// names the access, the exact file or folder scope under that datastore and the expiry; the datastore's secret stays
/// in the studio.
/// </summary>
public sealed class DatastoreRelay(DatastoreService datastores, DatastoreStores stores, ArtifactUrlSigner signer, IOptions<ArtifactsOptions> options)
{
    public const string PathPrefix = "ds/";

    /// <summary>The signed path of <paramref name="path"/> on the datastore with <paramref name="id"/>.</summary>
    public static string RelayPath(Guid id, string path) => $"{PathPrefix}{id:N}/{path}";

    public static bool Handles(string? path) => path is not null && path.StartsWith(PathPrefix, StringComparison.Ordinal);

    public async Task HandleAsync(HttpContext context, string? rawPath)
    {
        var (full, error) = ArtifactPath.Normalize(rawPath);
        var parts = full?.Split('/', 3);
        if (error is not null || parts is not { Length: 3 } || !Guid.TryParseExact(parts[1], "N", out var id) || parts[2].Length == 0 || full!.EndsWith('/'))
        {
            await Problem(context, StatusCodes.Status400BadRequest, "Bad artifact path", error ?? "The path names no file of a datastore.").ConfigureAwait(false);
            return;
        }

        var method = context.Request.Method;
        var write = HttpMethods.IsPut(method) || HttpMethods.IsPost(method);
        if (!write && !HttpMethods.IsGet(method) && !HttpMethods.IsHead(method))
        {
            context.Response.Headers.Allow = "GET, HEAD, PUT, POST";
            await Problem(context, StatusCodes.Status405MethodNotAllowed, "Method not allowed", "Datastore URLs take GET, HEAD, PUT and POST.").ConfigureAwait(false);
            return;
        }

        var access = write ? ArtifactAccess.Write : ArtifactAccess.Read;
        if (signer.Check(context.Request.Query[ArtifactUrlSigner.TokenParameter], full, access) is { } refused)
        {
            await Problem(context, StatusCodes.Status403Forbidden, "Signed URL refused", refused).ConfigureAwait(false);
            return;
        }

        if (await datastores.FindByIdAsync(id, context.RequestAborted).ConfigureAwait(false) is not { } datastore)
        {
            await Problem(context, StatusCodes.Status404NotFound, "Not found", "The datastore no longer exists.").ConfigureAwait(false);
            return;
        }

        var store = await stores.ForAsync(datastore, context.RequestAborted).ConfigureAwait(false);
        var path = parts[2];
        if (write)
        {
            if (datastore.ReadOnly)
            {
                await Problem(context, StatusCodes.Status403Forbidden, "Read-only datastore", $"Datastore '{datastore.Name}' is read-only.").ConfigureAwait(false);
                return;
            }

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

            await store.UploadAsync(path, context.Request.Body, context.RequestAborted).ConfigureAwait(false);
            context.Response.StatusCode = StatusCodes.Status201Created;
            return;
        }

        var file = await store.OpenReadAsync(path, context.RequestAborted).ConfigureAwait(false);
        if (file is null)
        {
            await Problem(context, StatusCodes.Status404NotFound, "Not found", $"Datastore '{datastore.Name}' has no file '{path}'.").ConfigureAwait(false);
            return;
        }

        await using (file)
        {
            context.Response.StatusCode = StatusCodes.Status200OK;
            context.Response.ContentType = "application/octet-stream";
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
