namespace Studio.Web.Api;

/// <summary>An import: InstanceType or InstanceTypeList YAML, and whether only to report what would change.</summary>
public sealed record InstanceTypeImportBody(string? Yaml, bool DryRun = false);
