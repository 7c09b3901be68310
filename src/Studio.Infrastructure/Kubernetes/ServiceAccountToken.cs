using System.Net.Http.Headers;
using k8s.Authentication;

namespace Studio.Infrastructure.Kubernetes;

/// <summary>
/// The bearer token of a mounted service account, read from its file again whenever the file changes (the kubelet rotates
/// projected tokens about every hour), so a long-lived client never sends an expired token.
/// </summary>
public sealed class ServiceAccountToken(string path) : ITokenProvider
{
    private readonly Lock _gate = new();
    private DateTime _readAt = DateTime.MinValue;
    private long _length = -1;
    private string _token = string.Empty;

    public string Path { get; } = path;

    public Task<AuthenticationHeaderValue> GetAuthenticationHeaderAsync(CancellationToken cancellationToken) =>
        Task.FromResult(new AuthenticationHeaderValue("Bearer", Current()));

    /// <summary>The token in the file now (read again only when its write time or length changed).</summary>
    public string Current()
    {
        var file = new FileInfo(Path);
        if (!file.Exists)
        {
            throw new InvalidOperationException($"The service account token '{Path}' does not exist; is the service account token mounted (automountServiceAccountToken)?");
        }

        lock (_gate)
        {
            if (file.LastWriteTimeUtc != _readAt || file.Length != _length)
            {
                _token = File.ReadAllText(Path).Trim();
                _readAt = file.LastWriteTimeUtc;
                _length = file.Length;
            }

            return _token;
        }
    }
}
