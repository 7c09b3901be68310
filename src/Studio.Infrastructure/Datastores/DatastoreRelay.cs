using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Studio.Domain.Artifacts;
using Studio.Infrastructure.Artifacts;

namespace Studio.Infrastructure.Datastores;

/// <summary>
/// The studio's signed URLs for datastore paths it cannot sign with the storage's own means (a SAS or identity Azure
/// datastore, and every job output): <c>GET|HEAD /artifacts/ds/&lt;datastore id&gt;/PATH?t=TOKEN</c> reads through the
/// studio, <c>PUT</c> (or <c>POST</c>, which BusyBox's wget can send) writes. The token (<see cref="ArtifactUrlSigner"/>)
/// names the access, the exact file or folder scope under that datastore and the expiry; the datastore's secret stays
/// in the studio. The datastore and its store client come from <see cref="DatastoreStoreCache"/>, not the database on
/// every file.
/// </summary>
public sealed class DatastoreRelay(DatastoreStoreCache cache, ArtifactUrlSigner signer, IOptions<ArtifactsOptions> options)
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
            await ArtifactHttp.Problem(context, StatusCodes.Status400BadRequest, "Bad artifact path", error ?? "The path names no file of a datastore.").ConfigureAwait(false);
            return;
        }

        var method = context.Request.Method;
        var write = HttpMethods.IsPut(method) || HttpMethods.IsPost(method);
        if (!write && !HttpMethods.IsGet(method) && !HttpMethods.IsHead(method))
        {
            context.Response.Headers.Allow = "GET, HEAD, PUT, POST";
            await ArtifactHttp.Problem(context, StatusCodes.Status405MethodNotAllowed, "Method not allowed", "Datastore URLs take GET, HEAD, PUT and POST.").ConfigureAwait(false);
            return;
        }

        var access = write ? ArtifactAccess.Write : ArtifactAccess.Read;
        if (signer.Check(context.Request.Query[ArtifactUrlSigner.TokenParameter], full, access) is { } refused)
        {
            await ArtifactHttp.Problem(context, StatusCodes.Status403Forbidden, "Signed URL refused", refused).ConfigureAwait(false);
            return;
        }

        if (await cache.FindAsync(id, context.RequestAborted).ConfigureAwait(false) is not var (datastore, store))
        {
            await ArtifactHttp.Problem(context, StatusCodes.Status404NotFound, "Not found", "The datastore no longer exists.").ConfigureAwait(false);
            return;
        }

        var path = parts[2];
        if (write && datastore.ReadOnly)
        {
            await ArtifactHttp.Problem(context, StatusCodes.Status403Forbidden, "Read-only datastore", $"Datastore '{datastore.Name}' is read-only.").ConfigureAwait(false);
            return;
        }

        try
        {
            if (write)
            {
                await ArtifactHttp.ReceiveAsync(context, store, path, options.Value.MaxUploadBytes).ConfigureAwait(false);
            }
            else
            {
                await ArtifactHttp.ServeAsync(context, await store.OpenReadAsync(path, context.RequestAborted).ConfigureAwait(false), $"Datastore '{datastore.Name}' has no file '{path}'.").ConfigureAwait(false);
            }
        }
        catch (Exception e) when (!context.Response.HasStarted && e is global::Azure.RequestFailedException or global::Amazon.Runtime.AmazonServiceException or HttpRequestException)
        {
            // The storage refused the studio (a revoked SAS, a wrong key) or could not be reached: say so, not a 500.
            await ArtifactHttp.Problem(context, StatusCodes.Status502BadGateway, "Datastore refused", $"Datastore '{datastore.Name}' answered: {e.Message.Split('\n')[0].Trim()}").ConfigureAwait(false);
        }
    }
}
