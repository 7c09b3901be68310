using Microsoft.EntityFrameworkCore;
using Studio.Domain.Artifacts;
using Studio.Domain.Common;
using Studio.Infrastructure.Artifacts;
using Studio.Infrastructure.Persistence.Repositories;

namespace Studio.Infrastructure.Assets;

/// <summary>
/// Finds a job input's data asset (<c>azureml:NAME@latest</c>, <c>azureml:NAME:VERSION</c>) in the job's workspace for the
/// input pipeline: where its data is (a datastore path or an https URL), or the stored upload it is. An unknown asset or
/// version is a 422 naming the input's field.
/// </summary>
public sealed class DataAssetLocator(UnitOfWorkFactory units) : IDataAssetLocator
{
    public async Task<Result<DataAssetLocation>> LocateAsync(Guid workspaceId, ArtifactUri asset, string field, CancellationToken cancellationToken)
    {
        await using var work = units.Begin();
        var normalized = DataAsset.Normalize(asset.AssetName ?? string.Empty);
        var found = await work.Db.DataAssets.AsNoTracking().FirstOrDefaultAsync(a => a.WorkspaceId == workspaceId && a.NormalizedName == normalized, cancellationToken).ConfigureAwait(false);
        if (found is null)
        {
            return Error.Unprocessable("unknown_data_asset", field, $"The workspace has no data asset '{asset.AssetName}': create it on the Data page (or POST .../data), or give the data's path.");
        }

        var version = found.Find(asset.AssetVersion);
        if (version is null)
        {
            var known = string.Join(", ", found.Versions.Where(v => !v.Archived).Select(v => v.Version));
            return Error.Unprocessable("unknown_data_asset_version", field, asset.AssetVersion is null
                ? $"Every version of data asset '{found.Name}' is archived; name one: azureml:{found.Name}:VERSION."
                : $"Data asset '{found.Name}' has no version {asset.AssetVersion}{(known.Length == 0 ? "." : $" (it has {known}).")}");
        }

        if (version.Snapshot is { } snapshot)
        {
            return new DataAssetLocation(ArtifactUri.Parse(version.Path, field).Value, version.Type) { Snapshot = snapshot };
        }

        var location = ArtifactUri.Parse(version.Path, field);
        return location.IsSuccess
            ? new DataAssetLocation(location.Value, version.Type)
            : Result<DataAssetLocation>.Failure(location.Errors);
    }
}
