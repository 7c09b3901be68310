using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Studio.Domain.Artifacts;
using Studio.Infrastructure.Persistence;

namespace Studio.Infrastructure.Datastores;

/// <summary>
/// Encrypts datastore secrets at rest as cluster credentials are: Data Protection (the studio's key ring in its database,
/// shared by replicas, wrapped by the key-encryption certificate when one is configured), its own purpose string.
/// </summary>
public sealed class DatastoreCredentialStore(IDataProtectionProvider protection, IDbContextFactory<StudioDbContext> contexts, TimeProvider clock)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };
    private readonly IDataProtector _protector = protection.CreateProtector("Studio.Datastores.Credentials.v1");

    /// <summary>Adds, replaces or (with no secret) removes the secret of a datastore inside the caller's unit of work.</summary>
    public async Task StageAsync(StudioDbContext db, Guid datastoreId, DatastoreCredentials credentials, CancellationToken cancellationToken)
    {
        var existing = await db.DatastoreCredentials.FirstOrDefaultAsync(c => c.DatastoreId == datastoreId, cancellationToken).ConfigureAwait(false);
        if (!credentials.HasSecret)
        {
            if (existing is not null)
            {
                db.DatastoreCredentials.Remove(existing);
            }

            return;
        }

        var protectedValue = _protector.Protect(JsonSerializer.Serialize(credentials, Json));
        if (existing is null)
        {
            db.DatastoreCredentials.Add(new DatastoreCredential { DatastoreId = datastoreId, ProtectedSecret = protectedValue, UpdatedAt = clock.GetUtcNow() });
        }
        else
        {
            existing.ProtectedSecret = protectedValue;
            existing.UpdatedAt = clock.GetUtcNow();
        }
    }

    /// <summary>The decrypted secret of a datastore (empty when it has none).</summary>
    public async Task<DatastoreCredentials> ReadAsync(Guid datastoreId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var stored = await db.DatastoreCredentials.AsNoTracking().FirstOrDefaultAsync(c => c.DatastoreId == datastoreId, cancellationToken).ConfigureAwait(false);
        return stored is null ? DatastoreCredentials.Empty : JsonSerializer.Deserialize<DatastoreCredentials>(_protector.Unprotect(stored.ProtectedSecret), Json) ?? DatastoreCredentials.Empty;
    }
}
