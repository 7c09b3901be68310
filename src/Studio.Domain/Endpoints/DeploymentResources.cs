namespace Studio.Domain.Endpoints;

/// <summary>
/// A deployment's own <c>resources</c> (§1.5): requests and optional limits as written (<c>"0.1"</c>, <c>"200Mi"</c>);
/// null means the instance type's are used as they are. GPUs go in limits only.
/// </summary>
public sealed record DeploymentResources(string? RequestCpu, string? RequestMemory, string? LimitCpu = null, string? LimitMemory = null, string? LimitGpu = null);
