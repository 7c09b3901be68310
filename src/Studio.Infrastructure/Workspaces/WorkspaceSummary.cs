using Studio.Domain.Workspaces;

namespace Studio.Infrastructure.Workspaces;

/// <summary>A workspace as pages and the API show it, with the caller's role in it.</summary>
public sealed record WorkspaceSummary(
    string Name,
    string? Description,
    DateTimeOffset CreatedAt,
    int MemberCount,
    int ComputeTargetCount,
    WorkspaceRole YourRole)
{
    public static WorkspaceSummary From(Workspace workspace, WorkspaceRole role) =>
        new(workspace.Name, workspace.Description, workspace.CreatedAt, workspace.Members.Count, workspace.ComputeTargets.Count, role);
}
