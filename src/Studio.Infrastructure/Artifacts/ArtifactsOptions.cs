namespace Studio.Infrastructure.Artifacts;

/// <summary><c>Studio:Artifacts</c>: the studio's artifact store and the limits of what is uploaded to it.</summary>
public sealed class ArtifactsOptions
{
    public const string SectionName = "Studio:Artifacts";

    /// <summary>
    /// The address pods use to reach the studio's signed artifact URLs (<c>https://studio.example.com</c>). Empty: the
    /// studio's own listening address (right for the embedded sandbox; set it for a real cluster).
    /// </summary>
    public string? PublicUrl { get; set; }

    /// <summary>Largest code snapshot, counted uncompressed after ignore rules (and the zip as uploaded): 300 MiB as in Azure ML.</summary>
    public long MaxSnapshotBytes { get; set; } = 300L * 1024 * 1024;

    /// <summary>Most files in one snapshot.</summary>
    public int MaxSnapshotFiles { get; set; } = 100_000;

    /// <summary>Largest single upload through a signed URL of the studio's store (a job output file).</summary>
    public long MaxUploadBytes { get; set; } = 5L * 1024 * 1024 * 1024;

    /// <summary>How long the URLs of a job without a timeout stay valid; with a timeout they last its timeout plus <see cref="QueueAllowance"/>.</summary>
    public TimeSpan UrlLifetime { get; set; } = TimeSpan.FromHours(24);

    /// <summary>The image of the step that fetches a job's code into its pod (it needs <c>wget</c> and <c>unzip</c>, as BusyBox has).</summary>
    public string FetchImage { get; set; } = "busybox:1.36";

    /// <summary>How long a replica keeps a datastore and its decrypted store client for relayed files; a change made on this replica takes effect at once.</summary>
    public TimeSpan DatastoreCacheLifetime { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Time allowed for a job to wait in the queue before its URLs' clock (its timeout) starts.</summary>
    public TimeSpan QueueAllowance { get; set; } = TimeSpan.FromHours(1);
}
