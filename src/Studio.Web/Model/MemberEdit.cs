using Studio.Domain.Workspaces;

namespace Studio.Web.Model;

public sealed record MemberEdit(string UserId, string? DisplayName, WorkspaceRole Role);
