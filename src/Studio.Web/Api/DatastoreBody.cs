using Studio.Domain.Artifacts;
using Studio.Infrastructure.Datastores;

namespace Studio.Web.Api;

/// <summary>
/// A datastore as an administrator creates, changes or tests it. <c>kind</c>: <c>AzureBlob</c>, <c>S3</c> or
/// <c>Https</c>; <c>auth</c>: <c>AccountKey</c>, <c>Sas</c> or <c>Identity</c> (Azure Blob), <c>AccessKey</c> (S3),
/// <c>None</c> (https). <c>credentials</c> carries the secret; on a change, leave it out to keep the stored one.
/// The answer never contains a secret.
/// </summary>
public sealed record DatastoreBody(
    string? Name,
    DatastoreKind? Kind,
    string? Endpoint,
    string? Container,
    string? Prefix,
    string? Description,
    DatastoreAuth? Auth,
    string? Region,
    bool? PathStyle,
    DatastoreCredentialsBody? Credentials)
{
    public DatastoreInput ToInput(DatastoreKind? existingKind = null)
    {
        var kind = Kind ?? existingKind ?? DatastoreKind.Https;
        return new DatastoreInput(
            Name,
            kind,
            new DatastoreSettings(Endpoint, Container, Prefix, Description, Auth ?? Datastore.DefaultAuth(kind), Region, PathStyle ?? true),
            Credentials is null ? null : new DatastoreCredentials(Empty(Credentials.AccountKey), Empty(Credentials.SasToken), Empty(Credentials.AccessKeyId), Empty(Credentials.SecretAccessKey)));
    }

    private static string? Empty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}

/// <summary>A datastore's secret: <c>accountKey</c> or <c>sasToken</c> (Azure Blob), <c>accessKeyId</c> and <c>secretAccessKey</c> (S3).</summary>
public sealed record DatastoreCredentialsBody(string? AccountKey, string? SasToken, string? AccessKeyId, string? SecretAccessKey)
{
    public override string ToString() => "DatastoreCredentialsBody { (secret) }";
}
