using Microsoft.EntityFrameworkCore;
using Studio.Domain.Common;
using Studio.Domain.Workspaces;
using Studio.Infrastructure.Persistence;
using Studio.Infrastructure.Persistence.Repositories;

namespace Studio.Infrastructure.Workspaces;

/// <summary>Application service for workspaces and their members. Each call is one unit of work.</summary>
public sealed class WorkspaceService(UnitOfWorkFactory units, TimeProvider clock)
{
    /// <summary>Workspaces the actor may see, with the actor's role in each.</summary>
    public async Task<IReadOnlyList<WorkspaceSummary>> ListAsync(Actor actor, CancellationToken cancellationToken)
    {
        await using var work = units.Begin();
        var all = await work.Workspaces.ListAsync(cancellationToken);
        return [.. all.Select(w => (w, role: actor.RoleIn(w)))
            .Where(x => x.role is not null)
            .Select(x => WorkspaceSummary.From(x.w, x.role!.Value))];
    }

    public async Task<Result<WorkspaceSummary>> GetAsync(Actor actor, string name, CancellationToken cancellationToken)
    {
        await using var work = units.Begin();
        var workspace = await work.Workspaces.FindByNameAsync(name, cancellationToken);
        return Visible(actor, workspace, name) is { } error ? error : WorkspaceSummary.From(workspace!, actor.RoleIn(workspace!)!.Value);
    }

    public async Task<Result<WorkspaceSummary>> CreateAsync(Actor actor, string? name, string? description, CancellationToken cancellationToken)
    {
        if (!actor.IsAdministrator)
        {
            return Error.Forbidden("Only administrators can create workspaces.");
        }

        var validName = WorkspaceName.Create(name);
        var invalid = new List<Error>(validName.IsSuccess ? [] : validName.Errors);
        if (Workspace.ValidateDescription(description) is { } tooLong)
        {
            invalid.Add(tooLong);
        }

        if (invalid.Count > 0)
        {
            return Result<WorkspaceSummary>.Failure(invalid);
        }

        await using var work = units.Begin();
        if (await work.Workspaces.NameExistsAsync(validName.Value, null, cancellationToken))
        {
            return Error.Conflict("workspace_exists", $"A workspace named '{validName.Value}' already exists.", "name");
        }

        var workspace = Workspace.Create(validName.Value, description, actor.UserId, actor.DisplayName, clock.GetUtcNow());
        work.Workspaces.Add(workspace);
        work.Db.Audit(clock, actor, "workspace.create", workspace.Name);
        if (await SaveAsync(work, cancellationToken) is { } conflict)
        {
            return conflict;
        }

        return WorkspaceSummary.From(workspace, WorkspaceRole.Administrator);
    }

    public async Task<Result<WorkspaceSummary>> UpdateAsync(Actor actor, string name, string? newName, string? description, CancellationToken cancellationToken)
    {
        await using var work = units.Begin();
        var workspace = await work.Workspaces.FindByNameAsync(name, cancellationToken);
        if (RequireAdministrator(actor, workspace, name) is { } error)
        {
            return error;
        }

        if (newName is not null && newName != workspace!.Name)
        {
            var validName = WorkspaceName.Create(newName);
            if (!validName.IsSuccess)
            {
                return Result<WorkspaceSummary>.Failure(validName.Errors);
            }

            if (await work.Workspaces.NameExistsAsync(validName.Value, workspace.Id, cancellationToken))
            {
                return Error.Conflict("workspace_exists", $"A workspace named '{validName.Value}' already exists.", "name");
            }

            work.Db.Audit(clock, actor, "workspace.rename", workspace.Name, $"to {validName.Value}");
            workspace.Rename(validName.Value);
        }

        if (description is not null)
        {
            if (Workspace.ValidateDescription(description) is { } tooLong)
            {
                return tooLong;
            }

            workspace!.Describe(description);
        }

        if (await SaveAsync(work, cancellationToken) is { } conflict)
        {
            return conflict;
        }

        return WorkspaceSummary.From(workspace!, actor.RoleIn(workspace!)!.Value);
    }

    public async Task<Result> DeleteAsync(Actor actor, string name, CancellationToken cancellationToken)
    {
        await using var work = units.Begin();
        var workspace = await work.Workspaces.FindByNameAsync(name, cancellationToken);
        if (RequireAdministrator(actor, workspace, name) is { } error)
        {
            return Result.Failure(error);
        }

        var canDelete = workspace!.CanDelete();
        if (!canDelete.IsSuccess)
        {
            return canDelete;
        }

        work.Workspaces.Remove(workspace);
        work.Db.Audit(clock, actor, "workspace.delete", workspace.Name);
        await work.SaveChangesAsync(cancellationToken);
        return Result.Success();
    }

    public async Task<Result<IReadOnlyList<MemberSummary>>> ListMembersAsync(Actor actor, string name, CancellationToken cancellationToken)
    {
        await using var work = units.Begin();
        var workspace = await work.Workspaces.FindByNameAsync(name, cancellationToken);
        if (Visible(actor, workspace, name) is { } error)
        {
            return error;
        }

        return Result<IReadOnlyList<MemberSummary>>.Ok([.. workspace!.Members.OrderBy(m => m.UserId, StringComparer.OrdinalIgnoreCase).Select(MemberSummary.From)]);
    }

    public async Task<Result> SetMemberAsync(Actor actor, string name, string? userId, string? displayName, WorkspaceRole role, CancellationToken cancellationToken)
    {
        await using var work = units.Begin();
        var workspace = await work.Workspaces.FindByNameAsync(name, cancellationToken);
        if (RequireAdministrator(actor, workspace, name) is { } error)
        {
            return Result.Failure(error);
        }

        var result = workspace!.SetMember(userId, displayName, role, clock.GetUtcNow());
        if (!result.IsSuccess)
        {
            return result;
        }

        work.Db.Audit(clock, actor, "workspace.member.set", workspace.Name, $"{userId} as {role}");
        await work.SaveChangesAsync(cancellationToken);
        return result;
    }

    public async Task<Result> RemoveMemberAsync(Actor actor, string name, string userId, CancellationToken cancellationToken)
    {
        await using var work = units.Begin();
        var workspace = await work.Workspaces.FindByNameAsync(name, cancellationToken);
        if (RequireAdministrator(actor, workspace, name) is { } error)
        {
            return Result.Failure(error);
        }

        var result = workspace!.RemoveMember(userId);
        if (!result.IsSuccess)
        {
            return result;
        }

        work.Db.Audit(clock, actor, "workspace.member.remove", workspace.Name, userId);
        await work.SaveChangesAsync(cancellationToken);
        return result;
    }

    /// <summary>Creates the workspace if it does not exist yet (used to seed <c>default</c>).</summary>
    public async Task EnsureExistsAsync(string name, string ownerUserId, string ownerDisplayName, CancellationToken cancellationToken)
    {
        await using var work = units.Begin();
        if (await work.Workspaces.FindByNameAsync(name, cancellationToken) is not null)
        {
            return;
        }

        work.Workspaces.Add(Workspace.Create(WorkspaceName.Create(name).Value, "Created on first run.", ownerUserId, ownerDisplayName, clock.GetUtcNow()));
        await SaveAsync(work, cancellationToken);
    }

    private static Error? Visible(Actor actor, Workspace? workspace, string name) =>
        WorkspaceAccess.Check(actor, workspace, name, WorkspaceRole.Reader);

    private static Error? RequireAdministrator(Actor actor, Workspace? workspace, string name) =>
        WorkspaceAccess.Check(actor, workspace, name, WorkspaceRole.Administrator, $"Only administrators of workspace '{workspace?.Name}' can do this.");

    /// <summary>Saves; a unique-index race (two creates at once) becomes a conflict instead of an exception.</summary>
    private static async Task<Error?> SaveAsync(UnitOfWork work, CancellationToken cancellationToken)
    {
        try
        {
            await work.SaveChangesAsync(cancellationToken);
            return null;
        }
        catch (DbUpdateException)
        {
            return Error.Conflict("workspace_exists", "A workspace with that name already exists.", "name");
        }
    }
}
