using Studio.Domain.Workspaces;

namespace Studio.Infrastructure.Workspaces;

public sealed record MemberSummary(string UserId, string DisplayName, WorkspaceRole Role, DateTimeOffset AddedAt)
{
    public static MemberSummary From(WorkspaceMember member) => new(member.UserId, member.DisplayName, member.Role, member.AddedAt);
}
