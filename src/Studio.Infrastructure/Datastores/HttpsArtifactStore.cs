using System.Net;
using Studio.Infrastructure.Artifacts;

namespace Studio.Infrastructure.Datastores;

/// <summary>
/// An https datastore: files under a base URL, read with GET, never written and never listed (plain https has no
/// listing). Its "signed" URL is the file's own URL: there is no credential to protect.
/// </summary>
public sealed class HttpsArtifactStore(HttpClient http, Uri baseUrl) : IArtifactStore
{
    private readonly string _base = baseUrl.AbsoluteUri.TrimEnd('/') + "/";

    public string Description => $"https {baseUrl.Host}";

    public Uri UrlOf(string path) => new(_base + string.Join('/', path.Split('/').Select(Uri.EscapeDataString)));

    public async Task<bool> ExistsAsync(string path, CancellationToken cancellationToken) => await SizeAsync(path, cancellationToken).ConfigureAwait(false) is not null;

    public async Task<long?> SizeAsync(string path, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Head, UrlOf(path));
        using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        return response.StatusCode == HttpStatusCode.NotFound || !response.IsSuccessStatusCode ? null : response.Content.Headers.ContentLength ?? 0;
    }

    public Task UploadAsync(string path, Stream content, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("An https datastore is read-only.");

    public async Task<Stream?> OpenReadAsync(string path, CancellationToken cancellationToken)
    {
        var response = await http.GetAsync(UrlOf(path), HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            response.Dispose();
            return null;
        }

        return await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
    }

    public Task<IReadOnlyList<ArtifactItem>> ListAsync(string prefix, int limit, CancellationToken cancellationToken) =>
        throw new NotSupportedException("An https datastore cannot be listed: name a file, not a folder.");

    public Task<Uri> SignAsync(string path, ArtifactAccess access, DateTimeOffset expiresAt, CancellationToken cancellationToken) =>
        access == ArtifactAccess.Read ? Task.FromResult(UrlOf(path)) : throw new InvalidOperationException("An https datastore is read-only.");
}
