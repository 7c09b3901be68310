using Studio.Domain.Endpoints;

namespace Studio.Infrastructure.Endpoints;

/// <summary>An online endpoint as the API and pages show it (never its keys: those are read through <see cref="EndpointService.KeysAsync"/>).</summary>
public sealed record EndpointView(
    string Name,
    string Compute,
    string AuthMode,
    string? Description,
    IReadOnlyDictionary<string, string> Tags,
    EndpointState State,
    string? Reason,
    string? Message,
    IReadOnlyDictionary<string, int> Traffic,
    IReadOnlyDictionary<string, int> MirrorTraffic,
    string ScoringPath,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    IReadOnlyList<DeploymentView> Deployments)
{
    internal static EndpointView From(OnlineEndpoint e, IEnumerable<OnlineDeployment> deployments) => new(
        e.Name,
        e.Compute,
        e.AuthMode == EndpointAuthMode.Key ? "key" : "aml_token",
        e.Description,
        e.Tags,
        e.State,
        e.Reason,
        e.Message,
        new SortedDictionary<string, int>(e.Traffic.ToDictionary(), StringComparer.Ordinal),
        new SortedDictionary<string, int>(e.MirrorTraffic.ToDictionary(), StringComparer.Ordinal),
        EndpointRoutes.ScoringPath(e.Name),
        e.CreatedAt,
        e.UpdatedAt,
        [.. deployments.Where(d => d.EndpointId == e.Id).OrderBy(d => d.Name, StringComparer.Ordinal).Select(DeploymentView.From)]);
}

/// <summary>One deployment: where it runs, what it serves, its state with reason, ready of desired replicas, the deadline of a running rollout and its timeline.</summary>
public sealed record DeploymentView(
    string Name,
    string Endpoint,
    string KubernetesName,
    string InstanceType,
    string? Model,
    string? Environment,
    string? Image,
    int InstanceCount,
    int Generation,
    EndpointState State,
    string? Reason,
    string? Message,
    int ReadyReplicas,
    int DesiredReplicas,
    DateTimeOffset? Deadline,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    IReadOnlyList<EndpointTransition> Transitions)
{
    internal static DeploymentView From(OnlineDeployment d) => new(
        d.Name,
        d.EndpointName,
        d.KubernetesName,
        d.InstanceType,
        d.Spec.Model?.Reference ?? d.Spec.Model?.Path,
        d.Spec.Environment,
        d.Spec.Image,
        d.Spec.InstanceCount,
        d.Generation,
        d.State,
        d.Reason,
        d.Message,
        d.ReadyReplicas,
        d.DesiredReplicas,
        d.Deadline,
        d.CreatedAt,
        d.UpdatedAt,
        d.Transitions);
}

/// <summary>An endpoint's keys, for members who may invoke it.</summary>
public sealed record EndpointKeysView(string PrimaryKey, string SecondaryKey);

/// <summary>A traffic change: live traffic and mirrored traffic per deployment, in percent.</summary>
public sealed record TrafficRequest(IReadOnlyDictionary<string, int>? Traffic, IReadOnlyDictionary<string, int>? MirrorTraffic);
