namespace Studio.Infrastructure.Persistence;

/// <summary>A datastore's secret (account key, SAS token or S3 key pair), encrypted with Data Protection. Never returned, logged or rendered.</summary>
public sealed class DatastoreCredential
{
    public Guid DatastoreId { get; set; }

    /// <summary>The protected (encrypted, base64url) JSON of the credentials.</summary>
    public required string ProtectedSecret { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}
