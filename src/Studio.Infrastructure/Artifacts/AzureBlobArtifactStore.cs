using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Sas;

namespace Studio.Infrastructure.Artifacts;

/// <summary>
/// An Azure Blob container (Azure.Storage.Blobs) as an artifact store, every path under <paramref name="prefix"/>.
/// Signed URLs are service SAS for exactly one blob (read, or create+write), HTTPS-only unless the account itself is
/// plain http (Azurite), expiring when asked; the container client must hold the account key (a shared-key credential).
/// </summary>
public sealed class AzureBlobArtifactStore(BlobContainerClient container, string prefix = "") : IArtifactStore
{
    private readonly string _root = ArtifactPaths.Folder(prefix);

    public string Description => $"Azure Blob {container.AccountName}/{container.Name}";

    /// <summary>Whether the client holds the account key, so the store can sign SAS URLs itself (a SAS or identity client cannot).</summary>
    public bool CanSign => container.CanGenerateSasUri;

    public async Task<bool> ExistsAsync(string path, CancellationToken cancellationToken) =>
        (await Blob(path).ExistsAsync(cancellationToken).ConfigureAwait(false)).Value;

    public async Task<long?> SizeAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            return (await Blob(path).GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false)).Value.ContentLength;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    public async Task UploadAsync(string path, Stream content, CancellationToken cancellationToken)
    {
        // A block blob upload commits all blocks at once: readers see the old blob or the new one.
        await Blob(path).UploadAsync(content, new BlobUploadOptions { TransferOptions = new global::Azure.Storage.StorageTransferOptions { MaximumConcurrency = 4 } }, cancellationToken).ConfigureAwait(false);
    }

    public async Task<Stream?> OpenReadAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            var response = await Blob(path).DownloadStreamingAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            return response.Value.Content;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    public async Task<IReadOnlyList<ArtifactItem>> ListAsync(string prefix, int limit, CancellationToken cancellationToken)
    {
        var folder = ArtifactPaths.Under(_root, ArtifactPaths.Folder(prefix));
        var items = new List<ArtifactItem>();
        await foreach (var blob in container.GetBlobsAsync(new GetBlobsOptions { Prefix = folder.Length == 0 ? null : folder }, cancellationToken).ConfigureAwait(false))
        {
            items.Add(new ArtifactItem(blob.Name[_root.Length..], blob.Properties.ContentLength ?? 0, blob.Properties.LastModified));
            if (items.Count >= limit)
            {
                break;
            }
        }

        return items;
    }

    public Task<Uri> SignAsync(string path, ArtifactAccess access, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        var blob = Blob(path);
        if (!blob.CanGenerateSasUri)
        {
            throw new InvalidOperationException($"{Description}: signed URLs need the account key (a shared-key credential).");
        }

        var sas = new BlobSasBuilder(access == ArtifactAccess.Read ? BlobSasPermissions.Read : BlobSasPermissions.Create | BlobSasPermissions.Write, expiresAt)
        {
            BlobContainerName = container.Name,
            BlobName = blob.Name,
            Resource = "b",
            Protocol = container.Uri.Scheme == Uri.UriSchemeHttps ? SasProtocol.Https : SasProtocol.HttpsAndHttp,
        };
        return Task.FromResult(blob.GenerateSasUri(sas));
    }

    private BlobClient Blob(string path) => container.GetBlobClient(ArtifactPaths.Under(_root, ArtifactPaths.File(path)));
}
