using System.Text.Json;
using Studio.Domain.Artifacts;
using Studio.Domain.Common;
using Studio.Domain.Jobs;
using Studio.Domain.Workspaces;
using Studio.Infrastructure.Artifacts;
using Studio.Infrastructure.Artifacts.Snapshots;

namespace Studio.Infrastructure.Jobs;

/// <summary>A job's code as the job page shows it: which snapshot, its files, and the zip to download (readers of the workspace).</summary>
public sealed class JobCodeQuery(JobAccess access, IEnumerable<IArtifactStore> stores)
{
    /// <summary>The code of a job that has none: what the download answers (409, the job exists).</summary>
    public const string NoCode = "no_code";

    /// <summary>The job's snapshot and its files; a job without code has no snapshot and no files.</summary>
    public async Task<Result<JobCodeFiles>> FilesAsync(Actor actor, string workspaceName, string name, CancellationToken cancellationToken)
    {
        var hash = await SnapshotAsync(actor, workspaceName, name, cancellationToken).ConfigureAwait(false);
        if (!hash.IsSuccess)
        {
            return hash.Errors[0].Code == NoCode ? new JobCodeFiles(null, null, []) : Result<JobCodeFiles>.Failure(hash.Errors);
        }

        var files = stores.LastOrDefault() is { } store ? await CodeSnapshotService.FilesAsync(store, hash.Value.Hash, cancellationToken).ConfigureAwait(false) : null;
        return files is null
            ? Error.NotFound($"Code snapshot {hash.Value.Hash} of job '{name}' is no longer stored.")
            : new JobCodeFiles(hash.Value.Hash.ToString(), hash.Value.Folder, files);
    }

    /// <summary>The snapshot's zip, for download.</summary>
    public async Task<Result<(string Snapshot, Stream Zip)>> OpenAsync(Actor actor, string workspaceName, string name, CancellationToken cancellationToken)
    {
        var hash = await SnapshotAsync(actor, workspaceName, name, cancellationToken).ConfigureAwait(false);
        if (!hash.IsSuccess)
        {
            return Result<(string, Stream)>.Failure(hash.Errors);
        }

        var zip = stores.LastOrDefault() is { } store ? await store.OpenReadAsync(CodeSnapshot.StoragePathOf(hash.Value.Hash), cancellationToken).ConfigureAwait(false) : null;
        return zip is null
            ? Error.NotFound($"Code snapshot {hash.Value.Hash} of job '{name}' is no longer stored.")
            : (hash.Value.Hash.ToString(), zip);
    }

    private async Task<Result<(ContentHash Hash, string? Folder)>> SnapshotAsync(Actor actor, string workspaceName, string name, CancellationToken cancellationToken)
    {
        var found = await access.FindAsync(actor, workspaceName, name, WorkspaceRole.Reader, includeChildren: false, cancellationToken).ConfigureAwait(false);
        if (!found.IsSuccess)
        {
            return Result<(ContentHash, string?)>.Failure(found.Errors);
        }

        var spec = JsonSerializer.Deserialize<JobSpec>(found.Value.Record.SpecJson, JobViews.Json)!;
        if (spec.CodeSnapshot is null || !ContentHash.Parse(spec.CodeSnapshot).IsSuccess)
        {
            return Error.Conflict(NoCode, $"Job '{name}' runs without code: only what its image holds.");
        }

        return (ContentHash.Parse(spec.CodeSnapshot).Value, spec.Code);
    }
}
