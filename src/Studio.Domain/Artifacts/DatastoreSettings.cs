namespace Studio.Domain.Artifacts;

/// <summary>
/// What an administrator sets on a datastore besides its name and kind: where the data is (<see cref="Endpoint"/>,
/// <see cref="Container"/>, <see cref="Prefix"/>), how the studio signs in (<see cref="Auth"/>; the secret itself is kept
/// apart, encrypted) and, for S3, the <see cref="Region"/> and path-style addressing.
/// </summary>
public sealed record DatastoreSettings(
    string? Endpoint,
    string? Container,
    string? Prefix = null,
    string? Description = null,
    DatastoreAuth Auth = DatastoreAuth.None,
    string? Region = null,
    bool PathStyle = true);
