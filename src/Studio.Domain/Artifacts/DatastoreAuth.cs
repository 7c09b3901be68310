namespace Studio.Domain.Artifacts;

/// <summary>How the studio authenticates to a datastore's storage (pods never do: they get signed URLs).</summary>
public enum DatastoreAuth
{
    /// <summary>No credential: the studio's own store, or a public https base URL.</summary>
    None,

    /// <summary>Azure Blob: the storage account key (the studio signs a blob SAS per file).</summary>
    AccountKey,

    /// <summary>Azure Blob: a SAS token for the container (the studio reads and writes for the pods, which get its own signed URLs).</summary>
    Sas,

    /// <summary>Azure Blob: the studio's managed or workload identity (no secret stored; SAS from a user delegation key).</summary>
    Identity,

    /// <summary>S3: an access key id and secret access key (the studio pre-signs a URL per file).</summary>
    AccessKey,
}
