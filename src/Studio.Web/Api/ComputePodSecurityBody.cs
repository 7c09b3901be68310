using Studio.Domain.Workspaces;

namespace Studio.Web.Api;

/// <summary>A compute target's Pod Security Standard: <c>restricted</c> (the default) or <c>baseline</c> (images that need root).</summary>
public sealed record ComputePodSecurityBody(PodSecurityLevel? PodSecurity);
