namespace Studio.Web.Api;

public sealed record CreateWorkspaceRequest(string? Name, string? Description);
