namespace Studio.Domain.Artifacts;

/// <summary>The storage behind a datastore.</summary>
public enum DatastoreKind
{
    /// <summary>The studio's own artifact store (Azure ML's <c>workspaceblobstore</c>).</summary>
    StudioStore,

    /// <summary>An Azure Blob Storage container.</summary>
    AzureBlob,

    /// <summary>An S3-compatible bucket (AWS S3, MinIO, Ceph...).</summary>
    S3,

    /// <summary>An https base URL, read-only.</summary>
    Https,
}
