using Studio.Domain.Artifacts;
using Studio.Domain.Common;

namespace Studio.Infrastructure.Artifacts;

/// <summary>
/// The seam through which registered data assets reach the job input pipeline: a job input
/// <c>path: azureml:NAME@latest</c> (or <c>:VERSION</c>) is asked here where its data is, and is then fetched like
/// that location (a datastore path or an https URL). The data-asset registry implements it; without one, such inputs
/// are refused at submit with the reason.
/// </summary>
public interface IDataAssetLocator
{
    /// <summary>
    /// Where the data of <paramref name="asset"/> (<see cref="ArtifactUriKind.Asset"/>) in the workspace is; an error
    /// naming <paramref name="field"/> (e.g. <c>inputs.cifar.path</c>; <c>Error.Unprocessable</c>, answered 422) when the workspace has no such asset or version.
    /// </summary>
    Task<Result<DataAssetLocation>> LocateAsync(Guid workspaceId, ArtifactUri asset, string field, CancellationToken cancellationToken);
}

/// <summary>
/// Where a data asset version's data is (<c>azureml://datastores/...</c> or <c>https://...</c>) and whether it is a file or
/// a folder; for a version whose files were uploaded, the stored snapshot (<see cref="Snapshot"/>) with
/// <see cref="Path"/> the uploaded file's or folder's name.
/// </summary>
public sealed record DataAssetLocation(ArtifactUri Path, DataAssetType Type)
{
    /// <summary>The stored upload (<c>sha256:...</c>, a snapshot zip); null when the data is at <see cref="Path"/>.</summary>
    public string? Snapshot { get; init; }
}
