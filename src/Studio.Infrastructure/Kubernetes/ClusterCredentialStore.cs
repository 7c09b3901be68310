using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Studio.Domain.Clusters;
using Studio.Infrastructure.Persistence;

namespace Studio.Infrastructure.Kubernetes;

/// <summary>Encrypts cluster kubeconfigs at rest with Data Protection (key ring in the studio database).</summary>
public sealed class ClusterCredentialStore(IDataProtectionProvider protection, IDbContextFactory<StudioDbContext> contexts, TimeProvider clock)
{
    private readonly IDataProtector _protector = protection.CreateProtector("Studio.Clusters.Kubeconfig.v1");

    /// <summary>Adds or replaces the credentials of a cluster inside the caller's unit of work.</summary>
    public async Task StageAsync(StudioDbContext db, Guid clusterId, string kubeconfigYaml, CancellationToken cancellationToken)
    {
        var existing = await db.ClusterCredentials.FirstOrDefaultAsync(c => c.ClusterId == clusterId, cancellationToken);
        var protectedValue = _protector.Protect(kubeconfigYaml);
        if (existing is null)
        {
            db.ClusterCredentials.Add(new ClusterCredential { ClusterId = clusterId, ProtectedKubeconfig = protectedValue, UpdatedAt = clock.GetUtcNow() });
        }
        else
        {
            existing.ProtectedKubeconfig = protectedValue;
            existing.UpdatedAt = clock.GetUtcNow();
        }
    }

    /// <summary>The decrypted kubeconfig, or null when the cluster has none stored.</summary>
    public async Task<string?> ReadAsync(Guid clusterId, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        var stored = await db.ClusterCredentials.AsNoTracking().FirstOrDefaultAsync(c => c.ClusterId == clusterId, cancellationToken);
        return stored is null ? null : _protector.Unprotect(stored.ProtectedKubeconfig);
    }

    /// <summary>True when the cluster is reached with the studio's own service account (in-cluster): nothing is stored for it.</summary>
    public async Task<bool> UsesOwnServiceAccountAsync(Guid clusterId, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        return await db.Clusters.AsNoTracking().AnyAsync(c => c.Id == clusterId && c.Kind == ClusterKind.InCluster, cancellationToken);
    }
}
