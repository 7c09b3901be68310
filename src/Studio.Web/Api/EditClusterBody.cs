namespace Studio.Web.Api;

public sealed record EditClusterBody(string? DisplayName, Dictionary<string, string>? Labels);
