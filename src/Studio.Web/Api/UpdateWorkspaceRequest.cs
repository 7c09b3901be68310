namespace Studio.Web.Api;

/// <summary>Fields left null are not changed.</summary>
public sealed record UpdateWorkspaceRequest(string? Name, string? Description);
