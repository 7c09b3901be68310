using Studio.Domain.Common;

namespace Studio.Domain.Workspaces;

public sealed record WorkspaceCreated(Guid WorkspaceId, string Name) : IDomainEvent;
