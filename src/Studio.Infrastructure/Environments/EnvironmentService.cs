using Microsoft.EntityFrameworkCore;
using Studio.Domain.Common;
using Studio.Domain.Jobs;
using Studio.Domain.Workspaces;
using Studio.Infrastructure.Persistence;
using Studio.Infrastructure.Persistence.Repositories;

namespace Studio.Infrastructure.Environments;

/// <summary>
/// Named environments of a workspace: register a version (data scientists), remove one, list them together with the
/// studio-wide ones (configured and curated) that every workspace can use. Each call is one unit of work.
/// </summary>
public sealed class EnvironmentService(UnitOfWorkFactory units, EnvironmentCatalog catalog, TimeProvider clock)
{
    /// <summary>The workspace's environments (newest version first per name), then the studio-wide ones it does not shadow.</summary>
    public async Task<Result<IReadOnlyList<EnvironmentSummary>>> ListAsync(Actor actor, string workspaceName, CancellationToken cancellationToken)
    {
        await using var work = units.Begin();
        var workspace = await work.Workspaces.FindByNameAsync(workspaceName, cancellationToken);
        if (WorkspaceAccess.Check(actor, workspace, workspaceName, WorkspaceRole.Reader) is { } denied)
        {
            return denied;
        }

        return Result.Success<IReadOnlyList<EnvironmentSummary>>(List(workspace!));
    }

    public async Task<Result<EnvironmentSummary>> RegisterAsync(Actor actor, string workspaceName, string? name, string? version, string? image, string? description, CancellationToken cancellationToken)
    {
        await using var work = units.Begin();
        var workspace = await work.Workspaces.FindByNameAsync(workspaceName, cancellationToken);
        if (WorkspaceAccess.Check(actor, workspace, workspaceName, WorkspaceRole.DataScientist, $"Only data scientists of workspace '{workspace?.Name}' can register environments.") is { } denied)
        {
            return denied;
        }

        var registered = workspace!.RegisterEnvironment(name, version, image, JobSpecRules.ValidateImage(image?.Trim()), description, actor.DisplayName, clock.GetUtcNow());
        if (!registered.IsSuccess)
        {
            return Result<EnvironmentSummary>.Failure(registered.Errors);
        }

        work.Db.Audit(clock, actor, "environment.register", workspace.Name, $"{registered.Value.Reference} → {registered.Value.Image}");
        try
        {
            await work.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Two registrations of the same version at once: the primary key decides, the loser hears why.
            return Error.Conflict("environment_version_exists", $"Environment '{registered.Value.Name}' version {registered.Value.Version} was just registered by someone else; register a new version.", "version");
        }

        return EnvironmentSummary.From(registered.Value);
    }

    public async Task<Result> RemoveAsync(Actor actor, string workspaceName, string name, string version, CancellationToken cancellationToken)
    {
        await using var work = units.Begin();
        var workspace = await work.Workspaces.FindByNameAsync(workspaceName, cancellationToken);
        if (WorkspaceAccess.Check(actor, workspace, workspaceName, WorkspaceRole.DataScientist, $"Only data scientists of workspace '{workspace?.Name}' can remove environments.") is { } denied)
        {
            return Result.Failure(denied);
        }

        var removed = workspace!.RemoveEnvironment(name, version);
        if (!removed.IsSuccess)
        {
            return removed;
        }

        work.Db.Audit(clock, actor, "environment.remove", workspace.Name, $"azureml:{name}:{version}");
        await work.SaveChangesAsync(cancellationToken);
        return removed;
    }

    /// <summary>Everything a job in <paramref name="workspace"/> can name, workspace versions first.</summary>
    public IReadOnlyList<EnvironmentSummary> List(Workspace workspace)
    {
        var own = workspace.Environments
            .OrderBy(e => e.Name, StringComparer.OrdinalIgnoreCase)
            .ThenByDescending(e => e.RegisteredAt)
            .Select(EnvironmentSummary.From)
            .ToList();
        var shadowed = own.Select(e => e.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var shared = catalog.Entries()
            .Where(e => !shadowed.Contains(e.Name))
            .OrderBy(e => e.Source)
            .ThenBy(e => e.Name, StringComparer.OrdinalIgnoreCase);
        return [.. own, .. shared];
    }
}
