using Studio.Domain.Jobs;

namespace Studio.Domain.Endpoints;

/// <summary>An imported <c>kubernetesOnlineEndpoint</c> file: the spec, and every key Studio does not carry over, with why.</summary>
public sealed record EndpointImport(OnlineEndpointSpec Spec, IReadOnlyList<YamlIssue> Unsupported);

/// <summary>An imported <c>kubernetesOnlineDeployment</c> file: the spec, and every key Studio does not carry over, with why.</summary>
public sealed record DeploymentImport(OnlineDeploymentSpec Spec, IReadOnlyList<YamlIssue> Unsupported);
