using Studio.Domain.Common;

namespace Studio.Domain.Workspaces;

public sealed record WorkspaceRenamed(Guid WorkspaceId, string OldName, string NewName) : IDomainEvent;
