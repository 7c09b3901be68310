using Microsoft.EntityFrameworkCore;
using Studio.Domain.Workspaces;

namespace Studio.Infrastructure.Persistence;

/// <summary>Queries and writes several application services share, in one place.</summary>
public static class StudioRecords
{
    /// <summary>Adds one audit line to the caller's unit of work.</summary>
    public static void Audit(this StudioDbContext db, TimeProvider clock, Actor actor, string action, string target, string? detail = null) =>
        db.AuditEntries.Add(new AuditEntry { At = clock.GetUtcNow(), UserId = actor.UserId, Action = action, Target = target, Detail = detail });

    /// <summary>Every compute target with its workspace: which clusters and namespaces are in use, by whom.</summary>
    public static async Task<IReadOnlyList<ComputeAttachment>> AttachmentsAsync(this StudioDbContext db, CancellationToken cancellationToken)
    {
        var workspaces = await db.Workspaces.AsNoTracking().ToListAsync(cancellationToken).ConfigureAwait(false);
        return [.. workspaces.SelectMany(w => w.ComputeTargets.Select(c => new ComputeAttachment(c.ClusterId, w.Name, c.Name, c.Namespace, c.PodSecurity)))];
    }
}
