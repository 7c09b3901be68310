using Studio.Domain.Workspaces;

namespace Studio.Web.Api;

public sealed record SetMemberRequest(WorkspaceRole Role, string? DisplayName);
