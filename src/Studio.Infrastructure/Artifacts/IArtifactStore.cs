namespace Studio.Infrastructure.Artifacts;

/// <summary>
/// Where code snapshots, inputs, outputs and models are kept: the studio's own folder (<see cref="LocalArtifactStore"/>),
/// an Azure Blob container (<see cref="AzureBlobArtifactStore"/>) or an S3-compatible bucket (<see cref="S3ArtifactStore"/>).
/// Paths are relative, '/'-separated and normalized (<see cref="Studio.Domain.Artifacts.ArtifactPath"/>); a store refuses
/// any other. Pods never get the store's credentials: they get URLs signed for one path that expire
/// (<see cref="SignAsync"/>).
/// </summary>
public interface IArtifactStore
{
    /// <summary>What the store is, for people ("studio store", "Azure Blob acct/container", "S3 bucket").</summary>
    string Description { get; }

    Task<bool> ExistsAsync(string path, CancellationToken cancellationToken);

    /// <summary>The file's size in bytes, or null when there is none.</summary>
    Task<long?> SizeAsync(string path, CancellationToken cancellationToken);

    /// <summary>Stores <paramref name="content"/> at <paramref name="path"/>, replacing what was there; readers never see a partial file.</summary>
    Task UploadAsync(string path, Stream content, CancellationToken cancellationToken);

    /// <summary>The file's content, or null when there is none.</summary>
    Task<Stream?> OpenReadAsync(string path, CancellationToken cancellationToken);

    /// <summary>The files under <paramref name="prefix"/> (a folder path ending with '/', or empty for all), at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<ArtifactItem>> ListAsync(string prefix, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// A URL that lets its holder read (GET) or write (PUT) exactly <paramref name="path"/> until <paramref name="expiresAt"/>,
    /// and nothing else: a SAS, a pre-signed URL or the studio's own signed URL.
    /// </summary>
    Task<Uri> SignAsync(string path, ArtifactAccess access, DateTimeOffset expiresAt, CancellationToken cancellationToken);
}
