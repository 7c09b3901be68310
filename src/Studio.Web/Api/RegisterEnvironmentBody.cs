namespace Studio.Web.Api;

/// <summary>Registers a version of a named environment; without a version the next number is used.</summary>
public sealed record RegisterEnvironmentBody(string? Name, string? Version, string? Image, string? Description);
