using Azure;
using Azure.Identity;
using Azure.Storage;
using Azure.Storage.Blobs;
using Microsoft.Extensions.DependencyInjection;
using Studio.Domain.Artifacts;
using Studio.Infrastructure.Artifacts;

namespace Studio.Infrastructure.Datastores;

/// <summary>
/// The storage behind a datastore as an <see cref="IArtifactStore"/>: the studio's store (a workspace's folder of it),
/// an Azure Blob container (account key, SAS or the studio's identity), an S3 bucket or an https base URL. The secret
/// is read here and stays in the studio process.
/// </summary>
public sealed class DatastoreStores(IEnumerable<IArtifactStore> stores, DatastoreCredentialStore credentials)
{
    private static readonly HttpClient Https = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>The studio's configured artifact store.</summary>
    public IArtifactStore? StudioStore => stores.LastOrDefault();

    public async Task<IArtifactStore> ForAsync(Datastore store, CancellationToken cancellationToken) =>
        store.IsStudioDefault || store.Auth is DatastoreAuth.None or DatastoreAuth.Identity
            ? For(store, DatastoreCredentials.Empty)
            : For(store, await credentials.ReadAsync(store.Id, cancellationToken).ConfigureAwait(false));

    /// <summary>The store of <paramref name="store"/> signed in with <paramref name="secret"/>.</summary>
    public IArtifactStore For(Datastore store, DatastoreCredentials secret)
    {
        switch (store.Kind)
        {
            case DatastoreKind.StudioStore:
                return new PrefixedArtifactStore(StudioStore ?? throw new InvalidOperationException("This studio has no artifact store configured (Studio:Artifacts:Store)."), store.Prefix);
            case DatastoreKind.AzureBlob:
                var containerUri = new Uri(store.Endpoint!.AbsoluteUri.TrimEnd('/') + "/" + store.Container);
                var options = new BlobClientOptions { Retry = { MaxRetries = 1, NetworkTimeout = TimeSpan.FromSeconds(30) } };
                var container = store.Auth switch
                {
                    DatastoreAuth.AccountKey => new BlobContainerClient(containerUri, new StorageSharedKeyCredential(AccountName(store.Endpoint), secret.AccountKey ?? string.Empty), options),
                    DatastoreAuth.Sas => new BlobContainerClient(containerUri, new AzureSasCredential(secret.SasToken ?? string.Empty), options),
                    _ => new BlobContainerClient(containerUri, new DefaultAzureCredential(), options),
                };
                return new AzureBlobArtifactStore(container, store.Prefix);
            case DatastoreKind.S3:
                var client = ArtifactsServiceCollectionExtensions.S3Client(store.Endpoint!.AbsoluteUri, store.Region, secret.AccessKeyId ?? string.Empty, secret.SecretAccessKey ?? string.Empty, store.PathStyle);
                return new S3ArtifactStore(client, store.Container!, store.Prefix);
            default:
                var baseUrl = store.Prefix.Length == 0 ? store.Endpoint! : new Uri(store.Endpoint!.AbsoluteUri.TrimEnd('/') + "/" + store.Prefix + "/");
                return new HttpsArtifactStore(Https, baseUrl);
        }
    }

    /// <summary>
    /// The storage account's name: the first label of <c>NAME.blob.core.windows.net</c> (and sovereign clouds), or the
    /// first path segment of a path-style endpoint (Azurite: <c>http://127.0.0.1:10000/devstoreaccount1</c>).
    /// </summary>
    public static string AccountName(Uri endpoint)
    {
        var path = endpoint.AbsolutePath.Trim('/');
        if (path.Length > 0)
        {
            return path.Split('/')[0];
        }

        return endpoint.Host.Split('.')[0];
    }
}
