using System.Net;
using Amazon.S3;
using Amazon.S3.Model;

namespace Studio.Infrastructure.Artifacts;

/// <summary>
/// An S3-compatible bucket (AWSSDK.S3: AWS, MinIO, Ceph, s3rver) as an artifact store, every path under
/// <paramref name="prefix"/>. Signed URLs are SigV4 pre-signed URLs for exactly one key (GET, or PUT), expiring when asked
/// (at most the seven days S3 allows).
/// </summary>
public sealed class S3ArtifactStore(IAmazonS3 client, string bucket, string prefix = "") : IArtifactStore
{
    private static readonly TimeSpan MaxPresign = TimeSpan.FromDays(7);
    private readonly string _root = ArtifactPaths.Folder(prefix);

    public string Description => $"S3 bucket {bucket}";

    public async Task<bool> ExistsAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            await client.GetObjectMetadataAsync(bucket, Key(path), cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    public async Task<long?> SizeAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            return (await client.GetObjectMetadataAsync(bucket, Key(path), cancellationToken).ConfigureAwait(false)).ContentLength;
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public async Task UploadAsync(string path, Stream content, CancellationToken cancellationToken)
    {
        // The SDK signs the payload and needs its length: a stream that cannot seek is spooled to a temporary file first.
        var spooled = content.CanSeek ? null : await SpoolAsync(content, cancellationToken).ConfigureAwait(false);
        try
        {
            var request = new PutObjectRequest { BucketName = bucket, Key = Key(path), InputStream = spooled ?? content, AutoCloseStream = false, UseChunkEncoding = false };
            await client.PutObjectAsync(request, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (spooled is not null)
            {
                await spooled.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    public async Task<Stream?> OpenReadAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            var response = await client.GetObjectAsync(bucket, Key(path), cancellationToken).ConfigureAwait(false);
            return response.ResponseStream;
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public async Task<IReadOnlyList<ArtifactItem>> ListAsync(string prefix, int limit, CancellationToken cancellationToken)
    {
        var folder = ArtifactPaths.Under(_root, ArtifactPaths.Folder(prefix));
        var items = new List<ArtifactItem>();
        var request = new ListObjectsV2Request { BucketName = bucket, Prefix = folder.Length == 0 ? null : folder, MaxKeys = Math.Min(limit, 1000) };
        do
        {
            var page = await client.ListObjectsV2Async(request, cancellationToken).ConfigureAwait(false);
            foreach (var o in page.S3Objects ?? [])
            {
                items.Add(new ArtifactItem(o.Key[_root.Length..], o.Size ?? 0, o.LastModified is { } m ? new DateTimeOffset(m.ToUniversalTime()) : null));
                if (items.Count >= limit)
                {
                    return items;
                }
            }

            request.ContinuationToken = page.IsTruncated == true ? page.NextContinuationToken : null;
        }
        while (request.ContinuationToken is not null);
        return items;
    }

    public async Task<Uri> SignAsync(string path, ArtifactAccess access, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        var now = DateTimeOffset.UtcNow;
        var expires = expiresAt - now > MaxPresign ? now + MaxPresign : expiresAt;
        var request = new GetPreSignedUrlRequest
        {
            BucketName = bucket,
            Key = Key(path),
            Verb = access == ArtifactAccess.Read ? HttpVerb.GET : HttpVerb.PUT,
            Expires = expires.UtcDateTime,
            Protocol = client.Config.ServiceURL is { } url && url.StartsWith("http://", StringComparison.OrdinalIgnoreCase) ? Protocol.HTTP : Protocol.HTTPS,
        };
        return new Uri(await client.GetPreSignedURLAsync(request).ConfigureAwait(false));
    }

    private string Key(string path) => ArtifactPaths.Under(_root, ArtifactPaths.File(path));

    private static async Task<Stream> SpoolAsync(Stream content, CancellationToken cancellationToken)
    {
        var file = new FileStream(Path.GetTempFileName(), FileMode.Open, FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        await content.CopyToAsync(file, cancellationToken).ConfigureAwait(false);
        file.Position = 0;
        return file;
    }
}
