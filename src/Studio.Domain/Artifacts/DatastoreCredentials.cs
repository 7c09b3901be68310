using Studio.Domain.Common;

namespace Studio.Domain.Artifacts;

/// <summary>
/// The secret half of a datastore: an Azure account key or SAS token, or an S3 access key pair. Kept encrypted outside
/// the aggregate, never returned, logged or put into a pod spec. <see cref="ToString"/> never shows a secret.
/// </summary>
public sealed record DatastoreCredentials(string? AccountKey = null, string? SasToken = null, string? AccessKeyId = null, string? SecretAccessKey = null)
{
    public const int MaxSecretLength = 4096;

    public static readonly DatastoreCredentials Empty = new();

    /// <summary>Whether any secret is set.</summary>
    public bool HasSecret => !string.IsNullOrEmpty(AccountKey) || !string.IsNullOrEmpty(SasToken) || !string.IsNullOrEmpty(AccessKeyId) || !string.IsNullOrEmpty(SecretAccessKey);

    /// <summary>The errors (fields <c>credentials.*</c>) when these are not what <paramref name="auth"/> on a <paramref name="kind"/> store needs.</summary>
    public IReadOnlyList<Error> Validate(DatastoreKind kind, DatastoreAuth auth)
    {
        var errors = new List<Error>();
        void Require(string? value, string field, string what)
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                errors.Add(Error.Validation($"credentials.{field}", $"Give the {what}."));
            }
            else if (value.Length > MaxSecretLength || value.Any(char.IsControl))
            {
                errors.Add(Error.Validation($"credentials.{field}", $"The {what} is at most {MaxSecretLength} characters, without control characters."));
            }
        }

        void Refuse(string? value, string field)
        {
            if (!string.IsNullOrEmpty(value))
            {
                errors.Add(Error.Validation($"credentials.{field}", $"A {kind} datastore with {auth} authentication takes no {field}."));
            }
        }

        switch (auth)
        {
            case DatastoreAuth.AccountKey:
                Require(AccountKey, "accountKey", "storage account key");
                if (!string.IsNullOrWhiteSpace(AccountKey) && !IsBase64(AccountKey.Trim()))
                {
                    errors.Add(Error.Validation("credentials.accountKey", "A storage account key is base64 (as the portal's Access keys page shows it)."));
                }

                Refuse(SasToken, "sasToken");
                Refuse(AccessKeyId, "accessKeyId");
                Refuse(SecretAccessKey, "secretAccessKey");
                break;
            case DatastoreAuth.Sas:
                Require(SasToken, "sasToken", "SAS token");
                if (SasToken is { } sas && !sas.TrimStart('?').Contains("sig=", StringComparison.Ordinal))
                {
                    errors.Add(Error.Validation("credentials.sasToken", "A SAS token has a signature (sig=...): paste the query string the portal generated."));
                }

                Refuse(AccountKey, "accountKey");
                Refuse(AccessKeyId, "accessKeyId");
                Refuse(SecretAccessKey, "secretAccessKey");
                break;
            case DatastoreAuth.AccessKey:
                Require(AccessKeyId, "accessKeyId", "access key id");
                Require(SecretAccessKey, "secretAccessKey", "secret access key");
                Refuse(AccountKey, "accountKey");
                Refuse(SasToken, "sasToken");
                break;
            default:
                Refuse(AccountKey, "accountKey");
                Refuse(SasToken, "sasToken");
                Refuse(AccessKeyId, "accessKeyId");
                Refuse(SecretAccessKey, "secretAccessKey");
                break;
        }

        return errors;
    }

    public override string ToString() => HasSecret ? "DatastoreCredentials { (secret) }" : "DatastoreCredentials { }";

    private static bool IsBase64(string text)
    {
        var buffer = new byte[text.Length];
        return Convert.TryFromBase64String(text, buffer, out var written) && written > 0;
    }
}
