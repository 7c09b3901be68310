namespace Studio.Web.Api;

/// <summary>The compute target's identity, the one property that changes after attach.</summary>
public sealed record SetIdentityBody(string? Identity);
