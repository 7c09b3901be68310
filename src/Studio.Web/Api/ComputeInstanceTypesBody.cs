namespace Studio.Web.Api;

/// <summary>A compute target's default instance type and restriction list (empty or null: all of the cluster's).</summary>
public sealed record ComputeInstanceTypesBody(string? DefaultInstanceType, List<string>? Allowed);
