using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Studio.Domain.Artifacts;
using Studio.Domain.Jobs;
using Studio.Infrastructure.Events;
using Studio.Infrastructure.Jobs;
using Studio.Infrastructure.Persistence.Repositories;

namespace Studio.Infrastructure.Assets;

/// <summary>
/// Counts the jobs submitted with a data asset version as an input (after the job's save), so that removing a version a
/// job used archives it instead: the job's record keeps naming a version that still resolves.
/// </summary>
public sealed class DataAssetUsage(UnitOfWorkFactory units, ILogger<DataAssetUsage> logger) : IDomainEventHandler<JobStatusChanged>
{
    public async ValueTask HandleAsync(JobStatusChanged domainEvent, CancellationToken cancellationToken)
    {
        if (domainEvent.PreviousState is not null)
        {
            return;
        }

        await using var work = units.Begin();
        var record = await work.Db.Jobs.AsNoTracking().FirstOrDefaultAsync(j => j.Id == domainEvent.JobId, cancellationToken).ConfigureAwait(false);
        JobSpec? spec;
        try
        {
            spec = record is null ? null : JsonSerializer.Deserialize<JobSpec>(record.SpecJson, JobViews.Json);
        }
        catch (JsonException)
        {
            return;
        }

        var assets = (spec?.DataInputs.Values ?? []).Select(i => ArtifactUri.Parse(i.Path, "path")).Where(p => p.IsSuccess && p.Value.Kind == ArtifactUriKind.Asset).Select(p => p.Value).ToList();
        if (assets.Count == 0)
        {
            return;
        }

        foreach (var reference in assets)
        {
            var normalized = DataAsset.Normalize(reference.AssetName!);
            var asset = await work.Db.DataAssets.FirstOrDefaultAsync(a => a.WorkspaceId == domainEvent.WorkspaceId && a.NormalizedName == normalized, cancellationToken).ConfigureAwait(false);
            if (asset?.Find(reference.AssetVersion) is { } version)
            {
                asset.MarkUsed(version);
            }
        }

        try
        {
            await work.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is DbUpdateException or InvalidOperationException)
        {
            logger.LogWarning(e, "Could not count job {Job}'s use of its data assets", domainEvent.Job);
        }
    }
}
