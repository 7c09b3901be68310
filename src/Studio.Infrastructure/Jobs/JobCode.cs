using Microsoft.Extensions.Options;
using Studio.Domain.Artifacts;
using Studio.Domain.Common;
using Studio.Domain.Jobs;
using Studio.Infrastructure.Artifacts;

namespace Studio.Infrastructure.Jobs;

/// <summary>
/// Plans the code of a job at submit: the snapshot must be stored, and its pods get a URL signed for reading that one
/// zip, valid for the job's timeout (or <see cref="ArtifactsOptions.UrlLifetime"/>) plus the queue allowance. A job whose
/// YAML names <c>code:</c> but was sent without its files is refused, never run without its code.
/// </summary>
public sealed class JobCode(IEnumerable<IArtifactStore> stores, IOptions<ArtifactsOptions> options, TimeProvider clock)
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
    /// (its snapshot stored); an https file is fetched from its URL as given.
    /// </summary>
    public async Task<Result<IReadOnlyList<JobInputPlan>>> PlanInputsAsync(JobSpec spec, bool sign, CancellationToken cancellationToken)
    {
        var plans = new List<JobInputPlan>();
        foreach (var (name, input) in spec.DataInputs.OrderBy(i => i.Key, StringComparer.Ordinal))
        {
            var at = $"inputs.{name}.path";
            var folder = $"{JobDataInput.Root}/{name}";
            var location = ArtifactUri.Parse(input.Path, at);
            if (!location.IsSuccess)
            {
                return Result<IReadOnlyList<JobInputPlan>>.Failure(location.Errors);
            }

            if (location.Value.Kind == ArtifactUriKind.Https)
            {
                plans.Add(new JobInputPlan(name, location.Value.Url!.AbsoluteUri, folder, Unzip: false, input.FileName()));
                continue;
            }

            if (input.Snapshot is null)
            {
                return Error.Validation(at, $"Input '{name}' is local data ('{input.Path}'); send it with the job (multipart/form-data: the YAML and a zip of the files beside it).");
            }

            var hash = ContentHash.Parse(input.Snapshot, at);
            if (!hash.IsSuccess)
            {
                return Result<IReadOnlyList<JobInputPlan>>.Failure(hash.Errors);
            }

            if (Store is not { } store || !await store.ExistsAsync(CodeSnapshot.StoragePathOf(hash.Value), cancellationToken).ConfigureAwait(false))
            {
                return Error.Validation(at, $"The data of input '{name}' ({hash.Value}) is not stored; send it with the job.");
            }

            var url = sign ? (await store.SignAsync(CodeSnapshot.StoragePathOf(hash.Value), ArtifactAccess.Read, Expiry(spec), cancellationToken).ConfigureAwait(false)).AbsoluteUri : PreviewUrl;
            plans.Add(new JobInputPlan(name, url, folder, Unzip: true, input.FileName()));
        }

        return Result<IReadOnlyList<JobInputPlan>>.Ok(plans);
    }

    /// <summary>When the URLs of a job submitted now stop working.</summary>
    public DateTimeOffset Expiry(JobSpec spec) => clock.GetUtcNow() + (spec.Timeout ?? options.Value.UrlLifetime) + options.Value.QueueAllowance;
}
