using Microsoft.Extensions.Options;
using Studio.Domain.Artifacts;
using Studio.Domain.Common;
using Studio.Domain.Jobs;
using Studio.Infrastructure.Artifacts;
using Studio.Infrastructure.Datastores;

namespace Studio.Infrastructure.Jobs;

/// <summary>
/// Plans the code of a job at submit: the snapshot must be stored, and its pods get a URL signed for reading that one
/// zip, valid for the job's timeout (or <see cref="ArtifactsOptions.UrlLifetime"/>) plus the queue allowance. A job whose
/// YAML names <c>code:</c> but was sent without its files is refused, never run without its code. Without the artifact
/// services (<c>AddStudioArtifacts</c>: a host that runs jobs without code or data), <paramref name="datastores"/> is null.
/// </summary>
public sealed partial class JobCode(IEnumerable<IArtifactStore> stores, IEnumerable<IDataAssetLocator> assets, IOptions<ArtifactsOptions> options, TimeProvider clock, DatastoreUrls? datastores = null)
{
    /// <summary>Shown in the manifest preview instead of a URL: the real one is signed when the job is submitted.</summary>
    public const string PreviewUrl = "(a URL signed for this snapshot when the job is submitted)";

    private IArtifactStore? Store => stores.LastOrDefault();

    /// <summary>The image of the fetch steps (<see cref="ArtifactsOptions.FetchImage"/>).</summary>
    public string FetchImage => options.Value.FetchImage;

    /// <summary>The code plan of <paramref name="spec"/> (null without code); <paramref name="sign"/> false gives the preview's placeholder URL.</summary>
    public async Task<Result<JobCodePlan?>> PlanAsync(JobSpec spec, bool sign, CancellationToken cancellationToken)
    {
        if (spec.CodeSnapshot is null)
        {
            return spec.Code is null
                ? Result<JobCodePlan?>.Ok(null)
                : Error.Validation("code", $"code: '{spec.Code}' names the job's code folder, but no code was sent with the job. Submit the YAML with its files (multipart/form-data: the YAML and a zip of the folder beside it), or remove code: to run what the image holds.");
        }

        var hash = ContentHash.Parse(spec.CodeSnapshot, "code_snapshot");
        if (!hash.IsSuccess)
        {
            return Result<JobCodePlan?>.Failure(hash.Errors);
        }

        if (Store is not { } store)
        {
            return Error.Validation("code", "This studio has no artifact store configured (Studio:Artifacts:Store), so jobs cannot carry code.");
        }

        var path = CodeSnapshot.StoragePathOf(hash.Value);
        if (await store.SizeAsync(path, cancellationToken).ConfigureAwait(false) is not { } size)
        {
            return Error.Validation("code_snapshot", $"Code snapshot {hash.Value} is not stored; send the code with the job.");
        }

        var url = sign ? (await store.SignAsync(path, ArtifactAccess.Read, Expiry(spec), cancellationToken).ConfigureAwait(false)).AbsoluteUri : PreviewUrl;
        // The volume holds the zip and what it unpacks to, which the snapshot limit bounds.
        return new JobCodePlan(hash.Value.ToString(), size + options.Value.MaxSnapshotBytes, url, options.Value.FetchImage);
    }

    /// <summary>
    /// The data inputs of <paramref name="spec"/> as its pods fetch them: a local input must have been sent with the job
    /// (its snapshot stored); an https file is fetched from its URL as given; a datastore path (or a data asset, located
    /// through <see cref="IDataAssetLocator"/>) gets a read URL per file, signed for exactly those paths and expiring with
    /// the job; <c>mode: direct</c> on a datastore file gets its signed URL as the input's value instead
    /// (<see cref="JobInputsPlan.Direct"/>). Nothing is created when an input is refused.
    /// </summary>
    public async Task<Result<JobInputsPlan>> PlanInputsAsync(Guid workspaceId, JobSpec spec, bool sign, CancellationToken cancellationToken)
    {
        var plans = new List<JobInputPlan>();
        var direct = new Dictionary<string, string>(StringComparer.Ordinal);
        var errors = new List<Error>();
        foreach (var (name, input) in spec.DataInputs.OrderBy(i => i.Key, StringComparer.Ordinal))
        {
            var at = $"inputs.{name}.path";
            var folder = $"{JobDataInput.Root}/{name}";
            var location = ArtifactUri.Parse(input.Path, at);
            if (!location.IsSuccess)
            {
                errors.AddRange(location.Errors);
                continue;
            }

            var where = location.Value;
            var type = input.Type;
            var snapshot = input.Snapshot;
            var fileName = input.FileName();
            if (where.Kind == ArtifactUriKind.Asset)
            {
                var located = await LocateAsync(workspaceId, where, at, cancellationToken).ConfigureAwait(false);
                if (!located.IsSuccess)
                {
                    errors.AddRange(located.Errors);
                    continue;
                }

                (where, type) = (located.Value.Path, located.Value.Type);
                if (located.Value.Snapshot is { } uploaded)
                {
                    // Files uploaded with the asset: fetched and unpacked like a local input. A file keeps its uploaded name,
                    // so ${{inputs.NAME}} is that file's path in the pod.
                    snapshot = uploaded;
                    fileName = where.Path!.TrimEnd('/').Split('/')[^1];
                    if (type == DataAssetType.UriFile && input.Mode != "direct")
                    {
                        direct[name] = $"{folder}/{fileName}";
                    }
                }
            }

            if (where.Kind == ArtifactUriKind.Https)
            {
                if (input.Mode == "direct")
                {
                    direct[name] = where.Url!.AbsoluteUri;
                }
                else
                {
                    plans.Add(new JobInputPlan(name, where.Url!.AbsoluteUri, folder, Unzip: false, input.FileName()));
                }

                continue;
            }

            if (where.Kind == ArtifactUriKind.DatastorePath)
            {
                if (input.Mode == "direct" && type == DataAssetType.UriFolder)
                {
                    errors.Add(Error.Unprocessable("direct_folder", $"inputs.{name}.mode", $"mode: direct passes one signed URL, so it takes a file (type: uri_file); a folder is downloaded (mode: download or ro_mount)."));
                    continue;
                }

                if (datastores is null)
                {
                    errors.Add(Error.Validation(at, "This studio has no artifact store configured (Studio:Artifacts:Store), so jobs cannot read datastores."));
                    continue;
                }

                var urls = await datastores.ReadAsync(workspaceId, where, type, Expiry(spec), sign, at, cancellationToken).ConfigureAwait(false);
                if (!urls.IsSuccess)
                {
                    errors.AddRange(urls.Errors);
                    continue;
                }

                if (input.Mode == "direct")
                {
                    direct[name] = urls.Value[0].Url;
                    continue;
                }

                plans.AddRange(urls.Value.Select(u => new JobInputPlan(name, u.Url, folder, Unzip: false, type == DataAssetType.UriFile ? input.FileName() : u.RelativePath)));
                continue;
            }

            if (snapshot is null)
            {
                errors.Add(Error.Validation(at, $"Input '{name}' is local data ('{input.Path}'); send it with the job (multipart/form-data: the YAML and a zip of the files beside it)."));
                continue;
            }

            if (input.Mode == "direct" && where.Kind == ArtifactUriKind.LocalPath && location.Value.Kind == ArtifactUriKind.Asset)
            {
                errors.Add(Error.Unprocessable("direct_upload", $"inputs.{name}.mode", $"'{input.Path}' was uploaded to the studio; mode: direct passes a URL, which an upload has not: use mode: download or ro_mount."));
                continue;
            }

            var hash = ContentHash.Parse(snapshot, at);
            if (!hash.IsSuccess)
            {
                errors.AddRange(hash.Errors);
                continue;
            }

            if (Store is not { } store || !await store.ExistsAsync(CodeSnapshot.StoragePathOf(hash.Value), cancellationToken).ConfigureAwait(false))
            {
                errors.Add(Error.Validation(at, $"The data of input '{name}' ({hash.Value}) is not stored; send it with the job."));
                continue;
            }

            var url = sign ? (await store.SignAsync(CodeSnapshot.StoragePathOf(hash.Value), ArtifactAccess.Read, Expiry(spec), cancellationToken).ConfigureAwait(false)).AbsoluteUri : PreviewUrl;
            plans.Add(new JobInputPlan(name, url, folder, Unzip: true, fileName));
        }

        return errors.Count > 0 ? Result<JobInputsPlan>.Failure(errors) : new JobInputsPlan(plans, direct);
    }

    /// <summary>
    /// The data outputs of job <paramref name="job"/> as its pods upload them: each gets one URL signed for writing under
    /// its datastore folder only (the studio's relay) and one for its upload record, expiring with the job. An unknown or
    /// read-only datastore is a 422 naming the output.
    /// </summary>
    public async Task<Result<IReadOnlyList<JobOutputPlan>>> PlanOutputsAsync(Guid workspaceId, string job, JobSpec spec, bool sign, CancellationToken cancellationToken)
    {
        var plans = new List<JobOutputPlan>();
        var errors = new List<Error>();
        foreach (var (name, output) in spec.DataOutputs.OrderBy(o => o.Key, StringComparer.Ordinal))
        {
            if (datastores is null)
            {
                errors.Add(Error.Validation($"outputs.{name}", "This studio has no artifact store configured (Studio:Artifacts:Store), so jobs cannot write outputs."));
                continue;
            }

            var write = await datastores.WriteFolderAsync(workspaceId, output.Location(job, name), Expiry(spec), sign, $"outputs.{name}.path", cancellationToken).ConfigureAwait(false);
            if (!write.IsSuccess)
            {
                errors.AddRange(write.Errors);
                continue;
            }

            plans.Add(new JobOutputPlan(name, $"{JobDataOutput.Root}/{name}", write.Value, datastores.OutputRecordUrl(workspaceId, job, name, Expiry(spec), sign)));
        }

        return errors.Count > 0 ? Result<IReadOnlyList<JobOutputPlan>>.Failure(errors) : plans;
    }

    private async Task<Result<DataAssetLocation>> LocateAsync(Guid workspaceId, ArtifactUri asset, string field, CancellationToken cancellationToken)
    {
        foreach (var locator in assets)
        {
            var located = await locator.LocateAsync(workspaceId, asset, field, cancellationToken).ConfigureAwait(false);
            if (!located.IsSuccess || located.Value.Snapshot is not null || located.Value.Path.Kind is ArtifactUriKind.DatastorePath or ArtifactUriKind.Https)
            {
                return located;
            }

            return Error.Unprocessable("asset_location", field, $"'{asset}' points at '{located.Value.Path}', which is neither a datastore path nor an https URL.");
        }

        return Error.Unprocessable("data_assets_unavailable", field, $"'{asset}' is a data asset, and this studio has no data asset registry to find it in; use its datastore path (azureml://datastores/NAME/paths/PATH).");
    }

    /// <summary>When the URLs of a job submitted now stop working.</summary>
    public DateTimeOffset Expiry(JobSpec spec) => clock.GetUtcNow() + (spec.Timeout ?? options.Value.UrlLifetime) + options.Value.QueueAllowance;
}
