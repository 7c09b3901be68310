using Microsoft.EntityFrameworkCore;
using Studio.Domain.Artifacts;
using Studio.Domain.Common;
using Studio.Domain.Jobs;
using Studio.Domain.Workspaces;
using Studio.Infrastructure.Artifacts.Snapshots;
using Studio.Infrastructure.Environments;
using Studio.Infrastructure.Persistence;

namespace Studio.Infrastructure.Jobs;

/// <summary>
/// Submits a job with its code: the caller must be allowed to submit in the workspace before anything is stored; the
/// zip becomes a content-addressed snapshot (stored once, whoever sends it again), and the job runs in it.
/// <c>code: src</c> takes the <c>src</c> folder of the zip (the files beside the YAML), or the zip itself when it holds
/// no such folder; a local data input (<c>path: ./data</c>) takes its file or folder of the zip, as a snapshot of its own.
/// </summary>
public sealed class JobCodeSubmission(IDbContextFactory<StudioDbContext> contexts, JobAccess access, CodeSnapshotService snapshots, JobSubmissionService jobs)
{
    public async Task<Result<JobSubmittedWithCode>> SubmitAsync(Actor actor, string workspaceName, JobImport job, Stream zip, string? requestId, CancellationToken cancellationToken)
    {
        await using (var db = contexts.CreateDbContext())
        {
            var (_, denied) = await access.WorkspaceAsync(db, actor, workspaceName, WorkspaceRole.DataScientist, "submit jobs", cancellationToken).ConfigureAwait(false);
            if (denied is not null)
            {
                return Result<JobSubmittedWithCode>.Failure(denied);
            }
        }

        var environment = await JobEnvironmentFiles.ReadAsync(job.Spec, zip, snapshots, cancellationToken).ConfigureAwait(false);
        if (!environment.IsSuccess)
        {
            return Result<JobSubmittedWithCode>.Failure(environment.Errors);
        }

        job = job with { Spec = environment.Value.Spec, Unsupported = [.. job.Unsupported, .. environment.Value.Issues] };
        var spec = job.Spec;
        var rules = spec.Validate().Where(e => e.Field == "code").ToList();
        if (rules.Count > 0)
        {
            return Result<JobSubmittedWithCode>.Failure(rules);
        }

        // Local data inputs are snapshots of their own, taken from the same files.
        var dataInputs = new Dictionary<string, JobDataInput>(spec.DataInputs, StringComparer.Ordinal);
        foreach (var (name, input) in spec.DataInputs.Where(i => i.Value.Location().Kind == ArtifactUriKind.LocalPath))
        {
            Rewind(zip);
            var data = await snapshots.StoreAsync(zip, input.Location().Path!, rootWhenMissing: false, $"inputs.{name}.path", cancellationToken).ConfigureAwait(false);
            if (!data.IsSuccess)
            {
                return Result<JobSubmittedWithCode>.Failure(data.Errors);
            }

            dataInputs[name] = input with { Snapshot = data.Value.Snapshot.Hash.ToString() };
        }

        // The files are the code when the YAML names code:, or when they carry no data input (a JSON job: the zip is its code).
        StoredSnapshot? stored = null;
        if (spec.Code is not null || dataInputs.Count == 0 || !spec.DataInputs.Values.Any(i => i.Location().Kind == ArtifactUriKind.LocalPath))
        {
            Rewind(zip);
            var code = await snapshots.StoreAsync(zip, spec.Code is null or "." ? string.Empty : spec.Code, rootWhenMissing: true, "code", cancellationToken).ConfigureAwait(false);
            if (!code.IsSuccess)
            {
                return Result<JobSubmittedWithCode>.Failure(code.Errors);
            }

            stored = code.Value;
            spec = spec with { Code = spec.Code ?? ".", CodeSnapshot = stored.Snapshot.Hash.ToString() };
        }

        var submitted = await jobs.SubmitAsync(actor, workspaceName, spec with { DataInputs = dataInputs }, requestId, cancellationToken).ConfigureAwait(false);
        return submitted.IsSuccess
            ? new JobSubmittedWithCode(submitted.Value with { Unsupported = job.Unsupported }, stored)
            : Result<JobSubmittedWithCode>.Failure(submitted.Errors);
    }

    private static void Rewind(Stream zip)
    {
        if (zip.CanSeek)
        {
            zip.Position = 0;
        }
    }
}
