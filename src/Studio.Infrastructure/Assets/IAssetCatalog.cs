using Studio.Domain.Common;
using Studio.Domain.Workspaces;

namespace Studio.Infrastructure.Assets;

/// <summary>What data assets and models share: reading, browsing an upload's files, removing and archiving versions.</summary>
public interface IAssetCatalog
{
    Task<Result<IReadOnlyList<AssetSummary>>> ListAsync(Actor actor, string workspaceName, bool includeArchived, CancellationToken cancellationToken);

    Task<Result<AssetDetail>> GetAsync(Actor actor, string workspaceName, string name, CancellationToken cancellationToken);

    Task<Result<AssetVersionView>> GetVersionAsync(Actor actor, string workspaceName, string name, string version, CancellationToken cancellationToken);

    Task<Result<IReadOnlyList<AssetFile>>> FilesAsync(Actor actor, string workspaceName, string name, string version, CancellationToken cancellationToken);

    Task<Result<Stream>> OpenAsync(Actor actor, string workspaceName, string name, string version, string? path, CancellationToken cancellationToken);

    Task<Result<bool>> RemoveAsync(Actor actor, string workspaceName, string name, string version, CancellationToken cancellationToken);

    Task<Result> ArchiveAsync(Actor actor, string workspaceName, string name, string version, bool archived, CancellationToken cancellationToken);
}
