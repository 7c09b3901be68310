namespace Studio.Infrastructure.Kubernetes;

/// <summary>One thing the studio needs to do on a cluster, and whether the credentials may (null: could not be checked).</summary>
public sealed record PermissionCheck(string Feature, string Verb, string Group, string Resource, bool? Allowed);
